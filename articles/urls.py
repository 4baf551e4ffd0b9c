from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from . import feeds, icons, previews, sitemaps, views
from .converters import UnicodeSlugConverter, VocabularyConverter

register_converter(UnicodeSlugConverter, "uslug")
register_converter(VocabularyConverter, "vocabulary")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/<uslug:slug>/", views.SectionView.as_view(), name="section"),
    path("authors/<uslug:slug>/", views.AuthorView.as_view(), name="author"),
    path("preview/<str:token>/", previews.SharedPreviewView.as_view(), name="preview"),
    path("<vocabulary:vocabulary>/", views.TagIndexView.as_view(), name="tag-index"),
    path("<vocabulary:vocabulary>/<uslug:slug>/", views.TagView.as_view(), name="tag"),
    # Feeds: RSS at <page>feed/, Atom at <page>feed/atom/.
    path("feed/", feeds.ArticleFeed(), name="feed"),
    path("feed/atom/", feeds.ArticleAtom(), name="feed-atom"),
    path("sections/<uslug:slug>/feed/", feeds.SectionFeed(), name="section-feed"),
    path("sections/<uslug:slug>/feed/atom/", feeds.SectionAtom(), name="section-feed-atom"),
    path("authors/<uslug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("authors/<uslug:slug>/feed/atom/", feeds.AuthorAtom(), name="author-feed-atom"),
    path("<vocabulary:vocabulary>/<uslug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("<vocabulary:vocabulary>/<uslug:slug>/feed/atom/", feeds.TagAtom(), name="tag-feed-atom"),
    # For search engines.
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    # A lean template (no whitespace pass, no language alternates, which HOLR has none of).
    path(
        "sitemap-<slug:section>.xml",
        sitemap,
        {"sitemaps": sitemaps.SITEMAPS, "template_name": "sitemaps/urlset.xml"},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news-sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("favicon.ico", icons.icon, {"name": "favicon.ico"}, name="favicon"),
    path("apple-touch-icon.png", icons.icon, {"name": "apple-touch-icon.png"}, name="apple-touch-icon"),
]
