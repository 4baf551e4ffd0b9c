from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Magazine"

    def ready(self):
        from . import checks, corrections, redirects  # noqa: F401  (deploy checks; notes; 301s and 410s)
