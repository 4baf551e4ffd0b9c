"""The read-only content API (issue 14), on django-ninja: /api/v1/…, schema at /api/v1/openapi.json.

Only what readers can see: every article comes through `Article.objects.published()`, and
tags and authors are listed only with published articles (as the site's own pages do).
Every list has a fixed number of queries at any page size (tests/test_api.py pins them).
"""

import json
from datetime import datetime

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger

from articles.cache_scope import EDITED
from articles.links import absolute_url
from articles.models import Article, Author, Section
from articles.vocabularies import VOCABULARIES
from pagecache import dependencies
from pages.models import Page
from search.backends import search as search_articles
from search.query import MARK_END, MARK_START, parse

from . import cursors, representations, schemas
from .representations import Addresses

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
ARTICLE_FILTERS = {
    "section": "section__slug",
    "author": "authors__slug",
    **{vocabulary.item: f"{key}__slug" for key, vocabulary in VOCABULARIES.items()},
}


class VendoredSwagger(Swagger):
    """Swagger UI from HOLR's own static files (static/api/swagger-ui/), never a CDN."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api}
        return render(request, "api/docs.html", context)


api = NinjaAPI(
    title="HOLR content API",
    version="1",
    description="Read-only access to everything HOLR's readers can see. See docs/api.md.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs/",
    docs=VendoredSwagger(settings={"persistAuthorization": False}),
)

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}.")
Cursor = Query(None, description="The `next_cursor` of the previous page; empty or absent for the first.")
ERRORS = {400: schemas.Error, 404: schemas.Error}


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    problems = []
    for error in exc.errors:
        where = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
        problems.append(f"{'.'.join(where) or 'request'}: {error.get('msg', 'invalid')}")
    return api.create_response(request, {"detail": "; ".join(problems)}, status=400)


@api.exception_handler(cursors.BadCursor)
def bad_cursor(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


def only_parameters(request, *names):
    """An unknown query parameter is a mistake (a typo'd filter would silently match everything)."""
    unknown = sorted(set(request.GET) - set(names))
    if unknown:
        raise HttpError(
            400, f"Unknown parameter {', '.join(unknown)}; this endpoint takes {', '.join(names)}."
        )


def next_link(request, cursor):
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return absolute_url(f"{request.path}?{query.urlencode()}")


def page(request, items, limit, cursor_of):
    """The first `limit` items, with the cursor and link of the next page when there is one."""
    items = list(items[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    cursor = cursor_of(items[-1]) if more else None
    return items, {"next": next_link(request, cursor), "next_cursor": cursor}


def parse_moment(value, name):
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in value.upper():
        raise HttpError(400, f"{name}: give a date and time with a time zone, e.g. 2026-05-01T09:00:00Z.")
    return moment


def get_object_or_404(queryset, **lookup):
    """The one object, or a 404 naming what was not found among what readers can see."""
    found = queryset.filter(**lookup).first()
    if found is None:
        what = queryset.model._meta.verbose_name
        raise Http404(f"No published {what} with {', '.join(f'{k} {v!r}' for k, v in lookup.items())}.")
    return found


def published_articles():
    return Article.objects.published().for_listing()


# Articles


@api.get("/articles/", response={200: schemas.ArticlePage, **ERRORS}, url_name="articles", tags=["articles"])
def list_articles(
    request,
    limit: int = Limit,
    cursor: str = Cursor,
    section: str = Query(None, description="A section's slug."),
    author: str = Query(None, description="An author's slug."),
    person: str = Query(None, description="A person's slug."),
    place: str = Query(None, description="A place's slug."),
    event: str = Query(None, description="An event's slug."),
    updated_since: str = Query(
        None,
        description="Only articles updated at or after this time (RFC 3339, with a time zone).",
        example="2026-05-01T09:00:00Z",
    ),
):
    """Published articles, newest first; follow `next` for older ones."""
    only_parameters(request, "limit", "cursor", "updated_since", *ARTICLE_FILTERS)
    articles = published_articles().defer("body").order_by("-published_at", "-id")  # the list has no body
    given = {"section": section, "author": author, "person": person, "place": place, "event": event}
    articles = articles.filter(
        **{ARTICLE_FILTERS[name]: value for name, value in given.items() if value is not None}
    )
    if updated_since is not None:
        articles = articles.filter(updated_at__gte=parse_moment(updated_since, "updated_since"))
        dependencies.record(EDITED)  # an edit moves an article into this list
    if cursor:
        moment, pk = cursors.decode_article(cursor)
        articles = articles.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
    items, links = page(request, articles, limit, lambda a: cursors.encode(a.published_at.isoformat(), a.pk))
    addresses = Addresses()
    representations.attach_tags(items)
    return {"results": [representations.article_summary(a, addresses) for a in items], **links}


@api.get(
    "/articles/id/{article_id}/",
    response={200: schemas.Article, **ERRORS},
    url_name="article-by-id",
    tags=["articles"],
)
def article_by_id(request, article_id: int):
    """One published article by its id, body included."""
    only_parameters(request)
    article = get_object_or_404(published_articles(), pk=article_id)
    return representations.article_detail(article)


@api.get(
    "/articles/{slug}/", response={200: schemas.Article, **ERRORS}, url_name="article", tags=["articles"]
)
def article_by_slug(request, slug: str):
    """One published article by its slug, body included."""
    only_parameters(request)
    article = get_object_or_404(published_articles(), slug=slug)
    return representations.article_detail(article)


# People, places and events


def published_tags(vocabulary):
    """Tags of one vocabulary that published articles carry, with how many carry each."""
    return vocabulary.model.objects.filter(
        tagged_articles__content_object__in=Article.objects.published()
    ).annotate(article_count=Count("tagged_articles"))


def tag_endpoints(vocabulary):
    key, singular = vocabulary.key, vocabulary.item

    def list_tags(request, limit: int = Limit, cursor: str = Cursor):
        only_parameters(request, "limit", "cursor")
        tags = published_tags(vocabulary).order_by("slug")
        if cursor:
            tags = tags.filter(slug__gt=cursors.decode_slug(cursor))
        items, links = page(request, tags, limit, lambda t: cursors.encode(t.slug))
        addresses = Addresses()
        return {"results": [representations.tag(t, key, addresses) for t in items], **links}

    def tag_detail(request, slug: str):
        only_parameters(request)
        tag = get_object_or_404(published_tags(vocabulary), slug=slug)
        return representations.tag(tag, key, Addresses())

    list_tags.__doc__ = f"{vocabulary.label} in published articles, by slug, with their article counts."
    tag_detail.__doc__ = f"One {singular}, with the number of published articles about them."
    api.get(
        f"/{key}/",
        response={200: schemas.TagPage, **ERRORS},
        url_name=key,
        tags=[key],
        operation_id=f"list_{key}",
    )(list_tags)
    api.get(
        f"/{key}/{{slug}}/",
        response={200: schemas.Tag, **ERRORS},
        url_name=singular,
        tags=[key],
        operation_id=f"get_{singular}",
    )(tag_detail)


for _vocabulary in VOCABULARIES.values():
    tag_endpoints(_vocabulary)


# Sections and authors


def sections_with_counts():
    return Section.objects.annotate(
        article_count=Count("articles", filter=Q(articles__in=Article.objects.published()))
    ).order_by("position", "name")


@api.get(
    "/sections/", response={200: list[schemas.Section], **ERRORS}, url_name="sections", tags=["sections"]
)
def list_sections(request):
    """Every section, in the masthead's order (even one without published articles yet)."""
    only_parameters(request)
    addresses = Addresses()
    return [representations.section(s, addresses) for s in sections_with_counts()]


@api.get(
    "/sections/{slug}/", response={200: schemas.Section, **ERRORS}, url_name="section", tags=["sections"]
)
def section_detail(request, slug: str):
    only_parameters(request)
    return representations.section(get_object_or_404(sections_with_counts(), slug=slug), Addresses())


def published_authors():
    return Author.objects.filter(article_links__article__in=Article.objects.published()).annotate(
        article_count=Count("article_links")
    )


@api.get("/authors/", response={200: schemas.AuthorPage, **ERRORS}, url_name="authors", tags=["authors"])
def list_authors(request, limit: int = Limit, cursor: str = Cursor):
    """Authors of published articles, by slug."""
    only_parameters(request, "limit", "cursor")
    authors = published_authors().order_by("slug")
    if cursor:
        authors = authors.filter(slug__gt=cursors.decode_slug(cursor))
    items, links = page(request, authors, limit, lambda a: cursors.encode(a.slug))
    addresses = Addresses()
    return {"results": [representations.author(a, addresses) for a in items], **links}


@api.get("/authors/{slug}/", response={200: schemas.Author, **ERRORS}, url_name="author", tags=["authors"])
def author_detail(request, slug: str):
    only_parameters(request)
    return representations.author(get_object_or_404(published_authors(), slug=slug), Addresses())


# The magazine's own pages


def published_pages():
    return Page.objects.published()


@api.get("/pages/", response={200: schemas.PagePage, **ERRORS}, url_name="pages", tags=["pages"])
def list_pages(request, limit: int = Limit, cursor: str = Cursor):
    """The magazine's published pages (About, Contact…), by slug; the detail has the body."""
    only_parameters(request, "limit", "cursor")
    pages = published_pages().defer("body").order_by("slug")
    if cursor:
        pages = pages.filter(slug__gt=cursors.decode_slug(cursor))
    items, links = page(request, pages, limit, lambda p: cursors.encode(p.slug))
    addresses = Addresses()
    return {"results": [representations.page_summary(p, addresses) for p in items], **links}


@api.get("/pages/{slug}/", response={200: schemas.Page, **ERRORS}, url_name="page", tags=["pages"])
def page_detail(request, slug: str):
    """One published page by its slug, body included."""
    only_parameters(request)
    return representations.page_detail(get_object_or_404(published_pages(), slug=slug))


# Search


@api.get("/search/", response={200: schemas.SearchPage, **ERRORS}, url_name="search", tags=["search"])
def search(
    request,
    q: str = Query(..., description="Words to find; quote a phrase.", min_length=1),
    limit: int = Limit,
    cursor: str = Cursor,
):
    """The newest 500 published articles matching `q`, best first. Ranked results page by position, not by key."""
    only_parameters(request, "q", "limit", "cursor")
    dependencies.record(EDITED)  # an edit can move an article into, out of, or up the results
    query = parse(q)
    if not query:  # only punctuation or spaces: nothing to look for, as on the search page
        return {"results": [], "next": None, "next_cursor": None}
    offset = cursors.decode_offset(cursor) if cursor else 0
    results = search_articles(Article.objects.published().for_listing(), query.terms)
    ids, links = page(request, results.ids[offset:], limit, lambda _: cursors.encode(offset + limit))
    items = results.page(ids)
    addresses = Addresses()
    results = []
    for article in representations.attach_tags(items):
        snippet = (article.search_snippet or "").replace(MARK_START, "").replace(MARK_END, "")
        results.append({**representations.article_summary(article, addresses), "snippet": snippet})
    return {"results": results, **links}
