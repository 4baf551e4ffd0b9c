"""RSS 2.0 and Atom feeds: the whole site, and each section, author, person, place and event.

Every feed shows the 20 newest published articles with the full (sanitized) body, the
byline, the lead image and the article's people, places and events as categories, in a
fixed number of queries: the articles, their authors, their three tag vocabularies, and
the subject for a subject's feed.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.links import absolute_url, site_host
from articles.models import Article, Author, Section, VocabularyTag
from articles.redirects import tag_moved
from articles.vocabularies import VOCABULARIES
from richtext.rendering import prefetch_body_images, render_body
from richtext.sanitizer import body_cleaner

FEED_ITEMS = 20
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"
# When a feed with no articles says it was updated (RSS lastBuildDate, Atom <updated>).
# Django says "now", so no two renders of an empty feed were alike and a cached one never
# equalled a fresh one (tests/test_pagecache_property.py); with no article to date it by,
# it says the same time on every render.
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)


def _absolute_href(tag, attribute, value):
    # A feed reader shows the body away from the site: "/people/x/" must name the site.
    if attribute == "href" and value.startswith("/") and not value.startswith("//"):
        return absolute_url(value)
    return value


# The body's own allow-list, applied again on the way out (the feed is a second place
# readers see it) with site-relative links made absolute. Figures arrive rendered for
# feeds by our own code (richtext/rendering.py): absolute JPEG <img>s, embeds as links;
# only the stored text between them is cleaned here, so no stored <img> gets through.
_feed_cleaner = body_cleaner(
    attributes={"a": {"href", "title"}, "ol": {"start"}}, attribute_filter=_absolute_href
)


def feed_body(article):
    """An article body for a feed: figures rendered for feed readers, sanitized, with absolute links."""
    return render_body(article, absolute_url=absolute_url, clean=_feed_cleaner.clean) if article.body else ""


def _media_content(handler, image):
    """<media:content> for the lead image: its size in pixels and bytes, its type and alt text."""
    if image is None:
        return
    handler.startElement(
        "media:content",
        {
            "url": image["url"],
            "medium": "image",
            "type": "image/jpeg",
            "width": str(image["width"]),
            "height": str(image["height"]),
            "fileSize": image["length"],
        },
    )
    handler.addQuickElement("media:description", image["alt"])
    if image["credit"]:
        handler.addQuickElement("media:credit", image["credit"])
    handler.endElement("media:content")


class EmptyFeedDateMixin:
    """An empty feed's update time is EMPTY_FEED_UPDATED, not the moment it is rendered."""

    def latest_post_date(self):
        return super().latest_post_date() if self.items else EMPTY_FEED_UPDATED


class ArticleRssFeed(EmptyFeedDateMixin, Rss201rev2Feed):
    """RSS 2.0 with the full body (content:encoded), every author (dc:creator) and media:content."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["author_names"]:
            handler.addQuickElement("dc:creator", name)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        handler.addQuickElement("content:encoded", item["content"])
        _media_content(handler, item["image"])


class ArticleAtomFeed(EmptyFeedDateMixin, Atom1Feed):
    """Atom with the full body as <content>, one <author> per byline name and media:content."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, link in zip(item["author_names"], item["author_links"], strict=True):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if link:
                handler.addQuickElement("uri", link)
            handler.endElement("author")
        handler.addQuickElement("content", item["content"], {"type": "html"})
        _media_content(handler, item["image"])


class ArticleFeed(Feed):
    """The newest published articles of the whole magazine."""

    feed_type = ArticleRssFeed
    hide_when_empty = False

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # The self link on the public address, not on whatever Host the request named.
        feed.feed["feed_url"] = absolute_url(request.path)
        if self.hide_when_empty and not feed.items:
            # As on its page: a tag or author known only from unpublished work is not shown to exist.
            raise Http404("No published articles.")
        return feed

    def articles(self, obj):
        return Article.objects.published().for_listing().with_tags()

    def items(self, obj):
        # Every image the bodies show, in one query for the whole feed.
        return prefetch_body_images(self.articles(obj)[:FEED_ITEMS])

    def title(self, obj):
        return settings.SITE_NAME

    def link(self, obj):
        return absolute_url(reverse("articles:home"))

    def description(self, obj):
        return _("The latest articles from %(site_name)s.") % {"site_name": settings.SITE_NAME}

    def subtitle(self, obj):  # Atom's name for the description
        return self.description(obj)

    def feed_guid(self, obj):
        return self._get_dynamic_attr("link", obj)

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # RSS <description> and Atom <summary type="html"> are read as HTML: the dek is text.
        return escape(article.dek)

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def item_guid(self, article):
        """A tag: URI (RFC 4151) from the article's id: it survives slug changes and never points elsewhere."""
        return f"tag:{site_host()},{article.created_at:%Y-%m-%d}:article:{article.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.last_modified

    def item_categories(self, article):
        return [tag.name for tag in (*article.people.all(), *article.places.all(), *article.events.all())]

    def item_enclosures(self, article):
        image = self.lead_image(article)
        if image is None:
            return []
        return [Enclosure(image["url"], image["length"], "image/jpeg")]

    def item_extra_kwargs(self, article):
        authors = list(article.authors.all())
        return {
            "author_names": [author.name for author in authors] or [settings.SITE_NAME],
            "author_links": [absolute_url(author.get_absolute_url()) for author in authors]
            or [absolute_url(reverse("articles:home"))],
            "content": feed_body(article),
            "image": self.lead_image(article),
        }

    def lead_image(self, article):
        """The lead image's largest JPEG rendition: URL, size in pixels and bytes, alt and credit."""
        if not hasattr(article, "_feed_image"):  # asked for twice per item: enclosure and media:content
            article._feed_image = feed_image(article.lead_image)
        return article._feed_image


def feed_image(image):
    renditions = image.renditions if image else None
    if renditions is None:
        return None
    rendition = renditions.largest
    try:
        length = default_storage.size(rendition.name)
    except OSError:
        length = 0  # RSS allows 0 when the length is unknown
    return {
        "url": absolute_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "length": str(length),
        "alt": image.alt,
        "credit": image.credit,
    }


class SubjectFeed(ArticleFeed):
    """The newest articles of one subject: a section, an author, or a person, place or event."""

    hide_when_empty = True
    subject_filter = None

    def get_object(self, request, slug, **kwargs):
        return get_object_or_404(self.subject_model, slug=slug)

    def articles(self, subject):
        return super().articles(subject).filter(**{self.subject_lookup(subject): subject})

    def subject_lookup(self, subject):
        return self.subject_filter

    def title(self, subject):
        return f"{subject} · {settings.SITE_NAME}"

    def link(self, subject):
        return absolute_url(subject.get_absolute_url())

    def description(self, subject):
        description = getattr(subject, "description", "") or _(
            "The latest articles on %(subject)s from %(site_name)s."
        ) % {"subject": subject, "site_name": settings.SITE_NAME}
        return escape(description)  # read as HTML by feed readers, like an item's description


class SectionFeed(SubjectFeed):
    subject_model = Section
    subject_filter = "section"
    hide_when_empty = False  # sections are in the masthead before their first article


class AuthorFeed(SubjectFeed):
    subject_model = Author
    subject_filter = "authors"

    def description(self, author):
        return escape(
            author.bio
            or _("The latest articles by %(author)s in %(site_name)s.")
            % {"author": author, "site_name": settings.SITE_NAME}
        )


class TagFeed(SubjectFeed):
    """One feed for all three vocabularies: /people/<slug>/feed/ and the like."""

    url_name = "syndication:tag-feed"

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            # A renamed or merged tag's feed follows it, as its page does.
            moved = tag_moved(kwargs["vocabulary"], kwargs["slug"], url_name=self.url_name)
            if moved is None:
                raise
            return moved

    def get_object(self, request, slug, vocabulary):
        return get_object_or_404(vocabulary.model, slug=slug)

    def subject_lookup(self, tag):
        return tag.vocabulary  # the Article field of the tag's vocabulary: "people"


class AtomMixin:
    feed_type = ArticleAtomFeed


class ArticleAtom(AtomMixin, ArticleFeed):
    pass


class SectionAtom(AtomMixin, SectionFeed):
    pass


class AuthorAtom(AtomMixin, AuthorFeed):
    pass


class TagAtom(AtomMixin, TagFeed):
    url_name = "syndication:tag-feed-atom"


def feeds_for(subject):
    """The (RSS, Atom) URLs of a subject's feeds, for <link rel="alternate"> and its page."""
    if isinstance(subject, Section):
        names, kwargs = ("section-feed", "section-feed-atom"), {"slug": subject.slug}
    elif isinstance(subject, Author):
        names, kwargs = ("author-feed", "author-feed-atom"), {"slug": subject.slug}
    elif isinstance(subject, VocabularyTag):
        names, kwargs = (
            ("tag-feed", "tag-feed-atom"),
            {"vocabulary": VOCABULARIES[subject.vocabulary], "slug": subject.slug},
        )
    else:
        raise TypeError(f"No feed for {subject!r}")
    return tuple(reverse(f"syndication:{name}", kwargs=kwargs) for name in names)
