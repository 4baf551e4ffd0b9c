from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Magazine"

    def ready(self):
        from . import checks, redirects  # noqa: F401  (deploy checks; old addresses: 301s and 410s)
