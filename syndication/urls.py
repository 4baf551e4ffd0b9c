from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles.cache_scope import EDITED
from pagecache.dependencies import records

from . import feeds, sitemaps

# Feeds and sitemaps carry articles' `updated_at` (and aggregates of it), which an edit
# moves: they depend on every edit, not only on the articles they list.
edits = records(EDITED)

app_name = "syndication"

urlpatterns = [
    # Feeds: RSS at <page>feed/, Atom at <page>feed/atom/.
    path("feed/", edits(feeds.ArticleFeed()), name="feed"),
    path("feed/atom/", edits(feeds.ArticleAtom()), name="feed-atom"),
    path("sections/<uslug:slug>/feed/", edits(feeds.SectionFeed()), name="section-feed"),
    path("sections/<uslug:slug>/feed/atom/", edits(feeds.SectionAtom()), name="section-feed-atom"),
    path("authors/<uslug:slug>/feed/", edits(feeds.AuthorFeed()), name="author-feed"),
    path("authors/<uslug:slug>/feed/atom/", edits(feeds.AuthorAtom()), name="author-feed-atom"),
    path("<vocabulary:vocabulary>/<uslug:slug>/feed/", edits(feeds.TagFeed()), name="tag-feed"),
    path("<vocabulary:vocabulary>/<uslug:slug>/feed/atom/", edits(feeds.TagAtom()), name="tag-feed-atom"),
    # For search engines.
    path("sitemap.xml", edits(sitemaps.sitemap_index), name="sitemap"),
    # A lean template (no whitespace pass, no language alternates, which HOLR has none of).
    path(
        "sitemap-<slug:section>.xml",
        edits(sitemap),
        {"sitemaps": sitemaps.SITEMAPS, "template_name": "sitemaps/urlset.xml"},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", edits(sitemaps.news_sitemap), name="news-sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]
