from syndication.sitemaps import SiteSitemap

from .models import Page


class SitePageSitemap(SiteSitemap):
    """The magazine's published pages (About, Contact…)."""

    def items(self):
        return Page.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, page):
        return page.updated_at

    def get_latest_lastmod(self):
        return self.items().values_list("updated_at", flat=True).order_by("-updated_at").first()
