"""Absolute addresses, for readers outside the site: feeds, sitemaps, structured data, share cards.

Always built on SITE_URL (the public address), never on the request's Host header.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(url):
    """SITE_URL + a site path; a URL that is already absolute (media on a CDN) is kept."""
    if urlsplit(url).scheme:
        return url
    return f"{settings.SITE_URL}/{url.lstrip('/')}"


def site_host():
    """The public host name, without scheme or port (for tag: URIs)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
