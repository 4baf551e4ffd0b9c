from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        # checks: the CDN purge settings; receivers: every change retires what it changed.
        from . import checks, dependencies, receivers  # noqa: F401

        # Every watched model's instances built while a page renders become its dependency keys.
        dependencies.watch_models()
