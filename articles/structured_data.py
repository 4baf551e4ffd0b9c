"""Schema.org JSON-LD for search engines: NewsArticle and BreadcrumbList on article pages,
WebSite with a SearchAction on the home page.

Built only from what the article view has already loaded (section, lead image, byline,
tags), so it costs no queries. `json_ld()` escapes the JSON as Django's json_script
does, so a "</script>" in a headline cannot end the script element.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, to_locale

from images.renditions import jpeg_rendition
from richtext.rendering import inline_images

from .links import absolute_url

# The logo in the publisher's Organization; its size is the PNG's in static/images/.
LOGO = {"path": "images/logo.png", "width": 512, "height": 512}
SCHEMA_TYPES = {"people": "Person", "places": "Place", "events": "Event"}

# As django.utils.html.json_script: "<", ">" and "&" become \u escapes, which JSON
# readers decode and HTML parsers cannot mistake for markup.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data):
    """A <script type="application/ld+json"> element holding `data`, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def language():
    """The active language as a BCP 47 tag ("en-GB", "fr-CA"): the language the page is shown in."""
    return to_locale(get_language() or settings.LANGUAGE_CODE).replace("_", "-")


def home_url():
    return absolute_url(reverse("articles:home"))


def organization():
    return {
        "@type": "Organization",
        "@id": f"{home_url()}#publisher",
        "name": settings.SITE_NAME,
        "url": home_url(),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static(LOGO["path"])),
            "width": LOGO["width"],
            "height": LOGO["height"],
        },
    }


def image_object(rendition, image):
    return {
        "@type": "ImageObject",
        "url": absolute_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "caption": image.alt,
        **({"creditText": image.credit} if image.credit else {}),
    }


def corrections(article):
    """schema.org `correction`: each correction or update as a CorrectionComment, newest first."""
    if "notes" not in getattr(article, "_prefetched_objects_cache", {}):
        return []  # the article page prefetches them; nothing else shows them
    return [
        {
            "@type": "CorrectionComment",
            "name": note.get_kind_display(),
            "text": note.text,
            "datePublished": note.noted_at.isoformat(),
        }
        for note in article.notes.all()
    ]


def news_article(article):
    url = absolute_url(article.get_absolute_url())
    tags = {key: list(getattr(article, key).all()) for key in SCHEMA_TYPES}
    authors = list(article.authors.all())
    data = {
        "@type": "NewsArticle",
        "@id": f"{url}#article",
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "description": article.dek,
        "inLanguage": language(),
        "wordCount": article.word_count,
        "dateModified": article.last_modified.isoformat(),
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
            for author in authors
        ]
        or [{"@id": f"{home_url()}#publisher"}],
        "publisher": organization(),
        "keywords": [tag.name for key in SCHEMA_TYPES for tag in tags[key]],
        "about": [
            {"@type": SCHEMA_TYPES[key], "name": tag.name, "url": absolute_url(tag.get_absolute_url())}
            for key in SCHEMA_TYPES
            for tag in tags[key]
        ],
    }
    if article.published_at is not None:
        data["datePublished"] = article.published_at.isoformat()
    if article.section:
        data["articleSection"] = article.section.name
    if notes := corrections(article):
        data["correction"] = notes
    images = []
    renditions = article.lead_image.renditions if article.lead_image else None
    if renditions:
        # Google's article guidelines ask for 16:9, 4:3 and 1:1: the 1200×630 share crop,
        # the 4:3 and square crops around the focal point, and the full frame.
        images = [
            image_object(rendition, article.lead_image)
            for rendition in (*renditions.every_crop, renditions.largest)
        ]
    # Then the images inside the story (fetched once for the page, richtext/rendering.py).
    for image in inline_images(article):
        rendition = jpeg_rendition(image) if image.pk != article.lead_image_id else None
        if rendition:
            images.append(image_object(rendition, image))
    if images:
        data["image"] = images
    return data


def breadcrumbs(article):
    trail = [(settings.SITE_NAME, home_url())]
    if article.section:
        trail.append((article.section.name, absolute_url(article.section.get_absolute_url())))
    trail.append((article.title, absolute_url(article.get_absolute_url())))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def article_graph(article):
    return {"@context": "https://schema.org", "@graph": [news_article(article), breadcrumbs(article)]}


def website_graph():
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebSite",
                "@id": f"{home_url()}#website",
                "url": home_url(),
                "name": settings.SITE_NAME,
                "inLanguage": language(),
                "publisher": {"@id": f"{home_url()}#publisher"},
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": {
                        "@type": "EntryPoint",
                        "urlTemplate": absolute_url(reverse("search:search")) + "?q={search_term_string}",
                    },
                    "query-input": "required name=search_term_string",
                },
            },
            organization(),
        ],
    }
