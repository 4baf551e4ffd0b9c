"""Articles, tags, sections and authors as plain data: what the API returns and webhooks send.

Built from prefetched objects only (`Article.objects.for_listing().with_tags()`), so a
list costs the same few queries at any page size. Addresses are absolute (SITE_URL) and
built from one reverse() per kind, not one per object (as articles/sitemaps.py does).
"""

from urllib.parse import quote

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import RFC3986_SUBDELIMS

from articles.links import absolute_url
from articles.models import Article
from articles.vocabularies import VOCABULARIES

from .rendering import render_body

# What reverse() leaves unquoted in a path (as articles/sitemaps.py, and django.urls.resolvers).
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"
RENDITION_FORMATS = (("avif", "image/avif"), ("webp", "image/webp"), ("jpeg", "image/jpeg"))


class Addresses:
    """Absolute site and API addresses of content, each a prefix and a quoted slug."""

    def __init__(self):
        self._prefixes = {}

    def _prefix(self, name, **kwargs):
        key = (name, *kwargs.values())
        if key not in self._prefixes:
            self._prefixes[key] = absolute_url(reverse(name, kwargs={**kwargs, "slug": "-"}))[:-2]
        return self._prefixes[key]

    def _url(self, name, slug, **kwargs):
        return f"{self._prefix(name, **kwargs)}{quote(slug, safe=URL_SAFE)}/"

    def article(self, slug):
        return self._url("articles:detail", slug)

    def api_article(self, slug):
        return self._url("api:article", slug)

    def page(self, slug):
        return self._url("pages:detail", slug)

    def api_page(self, slug):
        return self._url("api:page", slug)

    def section(self, slug):
        return self._url("articles:section", slug)

    def api_section(self, slug):
        return self._url("api:section", slug)

    def author(self, slug):
        return self._url("articles:author", slug)

    def api_author(self, slug):
        return self._url("api:author", slug)

    def tag(self, vocabulary, slug):
        return self._url("articles:tag", slug, vocabulary=vocabulary)

    def api_tag(self, vocabulary, slug):
        return self._url(f"api:{VOCABULARIES[vocabulary].item}", slug)

    @cached_property
    def api_articles(self):
        return absolute_url(reverse("api:articles"))


def attach_tags(articles):
    """Each article's people, places and events as `article.vocabulary_tags`: one query per vocabulary.

    Instead of prefetch_related("people", …), which builds a taggit queryset per article
    and vocabulary (three quarters of a 20-article list's time, measured), read each
    through table once, tags joined, and group in Python.
    """
    by_id = {article.pk: article for article in articles}
    for article in articles:
        article.vocabulary_tags = {key: [] for key in VOCABULARIES}
    for key in VOCABULARIES:
        through = Article._meta.get_field(key).remote_field.through
        taggings = (
            through.objects.filter(content_object_id__in=by_id)
            .select_related("tag")
            .order_by("tag__name", "tag_id")
        )
        for tagging in taggings:
            by_id[tagging.content_object_id].vocabulary_tags[key].append(tagging.tag)
    return articles


def link(name, slug, url, api_url):
    return {"name": name, "slug": slug, "url": url, "api_url": api_url}


def lead_image(article):
    image = article.lead_image
    renditions = image.renditions if image else None
    if renditions is None:
        return None
    largest = renditions.largest
    return {
        "url": absolute_url(largest.url),
        "width": largest.width,
        "height": largest.height,
        "alt": image.alt,
        "caption": article.caption,
        "credit": image.credit,
        "renditions": [
            {"url": absolute_url(r.url), "width": r.width, "height": r.height, "format": mime}
            for attribute, mime in RENDITION_FORMATS
            for r in getattr(renditions, attribute)
        ],
    }


def article_summary(article, addresses):
    """An article without its body; `attach_tags()` must have been called on it."""
    section = article.section
    return {
        "id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "url": addresses.article(article.slug),
        "api_url": addresses.api_article(article.slug),
        "dek": article.dek,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "section": section
        and link(
            section.name, section.slug, addresses.section(section.slug), addresses.api_section(section.slug)
        ),
        "authors": [
            link(a.name, a.slug, addresses.author(a.slug), addresses.api_author(a.slug))
            for a in article.authors.all()
        ],
        **{
            key: [
                link(t.name, t.slug, addresses.tag(key, t.slug), addresses.api_tag(key, t.slug))
                for t in article.vocabulary_tags[key]
            ]
            for key in VOCABULARIES
        },
        "lead_image": lead_image(article),
    }


def article_detail(article, addresses=None):
    """The full article, body and corrections included, as the detail endpoint and webhooks give it."""
    if not hasattr(article, "vocabulary_tags"):
        attach_tags([article])
    return {
        **article_summary(article, addresses or Addresses()),
        "body": render_body(article),
        # Newest first (ArticleNote's ordering); one query, so the detail only: lists stay at five.
        "corrections": [
            {"kind": note.kind, "time": note.noted_at, "text": note.text} for note in article.notes.all()
        ],
    }


def page_summary(page, addresses):
    return {
        "id": page.pk,
        "title": page.title,
        "slug": page.slug,
        "url": addresses.page(page.slug),
        "api_url": addresses.api_page(page.slug),
        "updated_at": page.updated_at,
    }


def page_detail(page, addresses=None):
    """One of the magazine's own pages, body included, as the detail endpoint and webhooks give it."""
    return {**page_summary(page, addresses or Addresses()), "body": render_body(page)}


def with_articles(data, addresses, **filters):
    """`articles_url`: the article list filtered to this subject."""
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in filters.items())
    return {**data, "articles_url": f"{addresses.api_articles}?{query}"}


def tag(tag, vocabulary, addresses):
    data = link(
        tag.name, tag.slug, addresses.tag(vocabulary, tag.slug), addresses.api_tag(vocabulary, tag.slug)
    )
    data.update(description=tag.description, article_count=tag.article_count)
    return with_articles(data, addresses, **{VOCABULARIES[vocabulary].item: tag.slug})


def section(section, addresses):
    data = link(
        section.name, section.slug, addresses.section(section.slug), addresses.api_section(section.slug)
    )
    data.update(description=section.description, article_count=section.article_count)
    return with_articles(data, addresses, section=section.slug)


def author(author, addresses):
    data = link(author.name, author.slug, addresses.author(author.slug), addresses.api_author(author.slug))
    data.update(bio=author.bio, article_count=author.article_count)
    return with_articles(data, addresses, author=author.slug)
