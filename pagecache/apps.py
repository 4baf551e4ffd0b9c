from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import dependencies, receivers  # noqa: F401  (every content change retires what it changed)

        # Every watched model's instances built while a page renders become its dependency keys.
        dependencies.watch_models()
