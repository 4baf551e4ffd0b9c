from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`manage.py backup` and `restore`: every row and every media file in one archive."""

    name = "backups"
