"""Every surface an anonymous reader can reach, for the XSS and visibility walkers.

`all_surfaces()` lists every page, feed, sitemap, search and the staff-only tag
suggestions; each must answer (200, or a refusal for what readers may not see).
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

from django.urls import reverse

from articles.letters import LETTERS, index_letter
from articles.models import Article, Author, Section
from articles.vocabularies import VOCABULARIES
from pages.models import Page

HTML, FEED, SITEMAP, JSON = "html", "feed", "sitemap", "json"


@dataclass(frozen=True)
class Surface:
    url: str
    kind: str = HTML
    is_public: bool = True  # False: an anonymous reader must be refused (404, 403 or a login redirect)
    echoes: str = ""  # text the page repeats from the request (a search query), not from the data


def _subjects():
    """Sections, then every author and tag, each with whether readers may see it."""
    published = Article.objects.published()
    subjects = [(section, True) for section in Section.objects.all()]
    visible_authors = set(Author.objects.filter(articles__in=published).values_list("pk", flat=True))
    subjects += [(author, author.pk in visible_authors) for author in Author.objects.all()]
    for vocabulary in VOCABULARIES.values():
        tags = vocabulary.model.objects.all()
        visible = set(tags.filter(tagged_articles__content_object__in=published).values_list("pk", flat=True))
        subjects += [(tag, tag.pk in visible) for tag in tags]
    return subjects


def _pages(search_terms):
    """Home (every page), articles, indexes, tags, sections, authors."""
    published = list(Article.objects.published())
    pages = max(1, -(-len(published) // 20))
    surfaces = [Surface(reverse("articles:home"))]
    surfaces += [Surface(f"{reverse('articles:home')}?page={n}") for n in range(2, pages + 1)]
    surfaces += [Surface(reverse("articles:tag-index", args=[key])) for key in VOCABULARIES]
    # Every letter's page: one whose names are all on unpublished work must not exist.
    for key, vocabulary in VOCABULARIES.items():
        tags = vocabulary.model.objects.filter(
            tagged_articles__content_object__in=Article.objects.published()
        )
        visible = {index_letter(name) for name in tags.values_list("name", flat=True)}
        surfaces += [
            Surface(reverse("articles:tag-letter", args=[key, letter]), is_public=letter in visible)
            for letter in LETTERS
        ]
    surfaces += [Surface(subject.get_absolute_url(), is_public=visible) for subject, visible in _subjects()]
    for article in Article.objects.all():
        surfaces.append(Surface(article.get_absolute_url(), is_public=article.is_published()))
    return surfaces


def _site_pages(search_terms):
    """The magazine's own pages (About, Contact…): only the published ones are public."""
    return [Surface(page.get_absolute_url(), is_public=page.is_published) for page in Page.objects.all()]


def _feeds(search_terms):
    surfaces = [Surface(reverse("syndication:feed"), FEED), Surface(reverse("syndication:feed-atom"), FEED)]
    surfaces += [
        Surface(f"{subject.get_absolute_url()}{suffix}", FEED, is_public=visible)
        for subject, visible in _subjects()
        for suffix in ("feed/", "feed/atom/")
    ]
    return surfaces


def _sitemaps(search_terms):
    return [
        Surface(reverse("syndication:sitemap"), SITEMAP),
        Surface(reverse("syndication:news-sitemap"), SITEMAP),
    ]


def _search(search_terms):
    return [
        Surface(f"{reverse('search:search')}?{urlencode({'q': term})}", echoes=term) for term in search_terms
    ]


def _tag_autocomplete(search_terms):
    """The admin's staff-only tag suggestions (JSON), one endpoint per vocabulary."""
    surfaces = []
    for vocabulary in VOCABULARIES.values():
        model_name = vocabulary.model._meta.model_name
        url = reverse(f"admin:articles_{model_name}_suggest")
        surfaces += [
            Surface(f"{url}?{urlencode({'q': term})}", JSON, is_public=False, echoes=term)
            for term in search_terms[:3]
        ]
    return surfaces


def _api(search_terms):
    """The content API (issue 14): lists, every article by slug and id, every subject and page, search."""
    api = "/api/v1"
    lists = ["articles/?limit=100", "sections/", "authors/?limit=100", "pages/?limit=100"]
    lists += [f"{key}/?limit=100" for key in VOCABULARIES]
    surfaces = [Surface(f"{api}/{name}") for name in lists]
    for article in Article.objects.all():
        surfaces.append(Surface(f"{api}/articles/{article.slug}/", JSON, is_public=article.is_published()))
        surfaces.append(Surface(f"{api}/articles/id/{article.pk}/", JSON, is_public=article.is_published()))
    for subject, visible in _subjects():
        kind = subject.vocabulary if hasattr(subject, "vocabulary") else f"{subject._meta.model_name}s"
        surfaces.append(Surface(f"{api}/{kind}/{subject.slug}/", JSON, is_public=visible))
        singular = VOCABULARIES[kind].item if kind in VOCABULARIES else kind[:-1]
        surfaces.append(Surface(f"{api}/articles/?{urlencode({singular: subject.slug})}", JSON))
    for page in Page.objects.all():
        surfaces.append(Surface(f"{api}/pages/{page.slug}/", JSON, is_public=page.is_published))
    surfaces += [
        Surface(f"{api}/search/?{urlencode({'q': term})}", JSON, echoes=term) for term in search_terms
    ]
    return [Surface(s.url, JSON, s.is_public, s.echoes) for s in surfaces]


SURFACES = [_pages, _site_pages, _feeds, _sitemaps, _search, _tag_autocomplete, _api]


def all_surfaces(search_terms=()):
    """Every surface a reader (or a crawler) can reach, each marked public or not."""
    return [surface for make in SURFACES for surface in make(list(search_terms))]


def is_refusal(response):
    """How a reader is turned away: a 404, a 403, or a redirect to the admin's login."""
    if response.status_code in {403, 404}:
        return True
    return response.status_code == 302 and "/login/" in response.get("Location", "")


def walk(client, surfaces):
    """Fetch each surface; yield (surface, response), following sitemap indexes to their children.

    Surfaces built in parallel that answer 404 are skipped. A required public surface
    must answer 200 and a non-public one must be refused: anything else fails here.
    """
    queue, seen = list(surfaces), set()
    while queue:
        surface = queue.pop(0)
        if surface.url in seen:
            continue
        seen.add(surface.url)
        response = client.get(surface.url)
        if not surface.is_public:
            assert is_refusal(response), f"{surface.url} answered {response.status_code} to a reader"
            continue
        assert response.status_code == 200, f"{surface.url} answered {response.status_code}"
        if surface.kind == SITEMAP:
            queue += [
                Surface(urlsplit(loc).path, SITEMAP)
                for loc in sitemap_locations(response.content)
                if urlsplit(loc).path.endswith(".xml")
            ]
        yield surface, response


def sitemap_locations(xml):
    root = ElementTree.fromstring(xml)
    return [element.text.strip() for element in root.iter() if element.tag.endswith("}loc") and element.text]
