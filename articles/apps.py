from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Magazine"

    def ready(self):
        from . import checks  # noqa: F401  (deploy checks)
