from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from . import receivers  # noqa: F401  (keeps the index in step with articles and tags)
