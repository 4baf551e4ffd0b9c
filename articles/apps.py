from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Magazine"

    def ready(self):
        from . import checks, navigation  # noqa: F401  (deploy checks; masthead cache receivers)
        from . import redirects  # noqa: F401  (old addresses: 301s and 410s)
