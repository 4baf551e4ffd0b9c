"""First URL segments a page may not take: the site's own routes (DESIGN.md "Public URLs")."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "articles",
        "people",
        "places",
        "events",
        "sections",
        "authors",
        "search",
        "feed",
        "static",
        "media",
        "preview",
        "healthz",
        "sitemap.xml",
        "news-sitemap.xml",
        "robots.txt",
        "favicon.ico",
        "apple-touch-icon.png",
        # The WordPress paths old addresses use.
        "category",
        "tag",
        "author",
    }
)
YEAR = re.compile(r"\d{4}")


def reserved_slugs():
    """The fixed list plus the configured admin path's first segment (read at call time)."""
    return RESERVED_SLUGS | {settings.ADMIN_PATH.strip("/").split("/")[0].casefold()}


def is_reserved(slug):
    slug = slug.casefold()
    return slug in reserved_slugs() or bool(YEAR.fullmatch(slug))


def validate_not_reserved(slug):
    if is_reserved(slug):
        raise ValidationError(
            "“%(slug)s” is one of the site's own addresses (or a year); choose another slug.",
            code="reserved",
            params={"slug": slug},
        )
