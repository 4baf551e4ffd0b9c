from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import (  # noqa: F401  (CDN purge settings; every content change bumps the content version)
            checks,
            receivers,
        )
