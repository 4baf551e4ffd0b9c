"""What search engines read: the sitemap index and its sitemaps, the Google News sitemap,
and robots.txt that names them.

Only what readers can see is listed: published articles (Article.objects.published()),
and tags and authors with at least one of them. Every address is on SITE_URL.
"""

from datetime import timedelta
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max, Q
from django.db.models.functions import Greatest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import RFC3986_SUBDELIMS
from django.views.decorators.http import require_safe

from articles.letters import LETTERS, letter_initials
from articles.links import absolute_url
from articles.models import Article, Author, Section
from articles.vocabularies import VOCABULARIES

# Google News lists articles from the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000
# Share links for unpublished work (DESIGN.md): never for crawlers.
PREVIEW_PREFIX = "/preview/"
# What reverse() leaves unquoted in a path (django.urls.resolvers does the same).
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on SITE_URL, whatever host the crawler asked."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        # Everything after the scheme, so a SITE_URL with a path prefix works as in links.absolute_url().
        return settings.SITE_URL.split("://", 1)[1]

    def lastmod(self, item):
        return item.lastmod

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("lastmod"))["latest"]


class ArticleSitemap(SiteSitemap):
    """Every published article, oldest first (so pages past the first change least), 50,000 a page."""

    def items(self):
        return (
            Article.objects.published()
            .annotate(lastmod=Greatest("updated_at", "published_at"))
            .only("slug")
            .order_by("published_at", "pk")
        )

    def location(self, article):
        # Article.get_absolute_url() without a reverse() per row: 50,000 of them were a
        # third of a full sitemap page's time. Same quoting as reverse() (a test checks).
        return f"{self.article_prefix}{quote(article.slug, safe=URL_SAFE)}/"

    @cached_property
    def article_prefix(self):
        return reverse("articles:detail", kwargs={"slug": "-"})[:-2]


class TagSitemap(SiteSitemap):
    """The pages of one vocabulary's tags that have published articles."""

    def __init__(self, vocabulary):
        self.vocabulary = vocabulary

    def items(self):
        return (
            self.vocabulary.model.objects.filter(
                tagged_articles__content_object__in=Article.objects.published()
            )
            .annotate(lastmod=Max("tagged_articles__content_object__updated_at"))
            .order_by("pk")
        )


def _published_lastmod():
    """The latest change among a subject's published articles."""
    return Max("articles__updated_at", filter=Q(articles__in=Article.objects.published()))


class SectionSitemap(SiteSitemap):
    """Every section: they are in the masthead even before their first article."""

    def items(self):
        return Section.objects.annotate(lastmod=_published_lastmod()).order_by("pk")

    def lastmod(self, section):
        return section.lastmod  # None for an empty section: no date is better than a made-up one


class AuthorSitemap(SiteSitemap):
    def items(self):
        return (
            Author.objects.filter(articles__in=Article.objects.published())
            .annotate(lastmod=Max("articles__updated_at"))
            .order_by("pk")
        )


class PageSitemap(SiteSitemap):
    """The home page, the three A–Z indexes and each of their letters with names (first pages only)."""

    def items(self):
        items = [("articles:home", {})]
        for key, vocabulary in VOCABULARIES.items():
            items.append(("articles:tag-index", {"vocabulary": key}))
            with_names = letter_initials(vocabulary)
            items += [
                ("articles:tag-letter", {"vocabulary": key, "letter": letter})
                for letter in LETTERS
                if letter in with_names
            ]
        return items

    def location(self, item):
        name, kwargs = item
        return reverse(name, kwargs=kwargs)

    def lastmod(self, item):
        return self.get_latest_lastmod()

    def get_latest_lastmod(self):
        if not hasattr(self, "_latest"):
            self._latest = ArticleSitemap().get_latest_lastmod()
        return self._latest


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    **{
        key: (lambda vocabulary=vocabulary: TagSitemap(vocabulary))
        for key, vocabulary in VOCABULARIES.items()
    },
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
}


@require_safe
@x_robots_tag
def sitemap_index(request):
    """/sitemap.xml: one entry per sitemap page, with its latest change (Django's index, on SITE_URL)."""
    entries = []
    for section, make_sitemap in SITEMAPS.items():
        sitemap = make_sitemap()
        url = absolute_url(reverse("syndication:sitemap-section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        entries.extend(
            SitemapIndexItem(f"{url}?p={page}", lastmod) for page in range(2, sitemap.paginator.num_pages + 1)
        )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@require_safe
@x_robots_tag
def news_sitemap(request):
    """/news-sitemap.xml: articles published in the last 48 hours, in Google News' format."""
    articles = (
        Article.objects.published()
        .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        .only("title", "slug", "published_at")[:NEWS_LIMIT]
    )
    context = {
        "articles": [(absolute_url(article.get_absolute_url()), article) for article in articles],
        # Google wants ISO 639 (en, de), except for Chinese (zh-cn, zh-tw).
        "language": settings.LANGUAGE_CODE.lower()
        if settings.LANGUAGE_CODE.lower().startswith("zh-")
        else settings.LANGUAGE_CODE.split("-")[0].lower(),
    }
    return TemplateResponse(request, "articles/news_sitemap.xml", context, content_type="application/xml")


@require_safe
def robots_txt(request):
    """/robots.txt: keep crawlers out of the admin and preview links; point them at the sitemaps."""
    context = {
        "disallow": [reverse("admin:index"), PREVIEW_PREFIX],
        "sitemaps": [
            absolute_url(reverse("syndication:sitemap")),
            absolute_url(reverse("syndication:news-sitemap")),
        ],
    }
    return TemplateResponse(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
