from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from syndication.sitemaps import SITEMAPS

        from .sitemaps import SitePageSitemap

        # Registered from here so that articles/ never imports pages/ (no import circle).
        SITEMAPS.setdefault("site-pages", SitePageSitemap)
