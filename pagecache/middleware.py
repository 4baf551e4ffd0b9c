"""The page cache: anonymous pages served whole from the cache, never stale.

It sits right after WhiteNoise, so a hit costs one cache round trip (see versions.py) and
skips sessions, authentication, CSRF, the URL resolver, the view and the database.
A page is stored with the content version it was rendered under and the dependency keys
recorded while it rendered (dependencies.py), and served only while no change since has
retired one of those keys, or everything (versions.py).

Never read nor filled: requests that are not GET/HEAD, carry the session cookie or an
Authorization header, or ask for an excluded path (the admin, previews, the health
check). Never stored: anything but a 200, responses that set cookies or say
private/no-store/no-cache, and responses that vary on a cookie the request carried.

Text is gzipped once, when it enters the cache, and kept compressed (a fifth of the
memory); a hit sends those bytes as they are to a reader who accepts gzip and unpacks
them for one who does not. Only what the cache may store is compressed, so never a
response with a CSRF token or a session cookie in it (BREACH): nothing secret shares a
compressed body with text an attacker controls.
"""

import gzip
import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from . import cdn, dependencies, versions

HEADER = "X-Page-Cache"
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
COMPRESSIBLE_TYPES = (
    "text/",
    "application/xml",
    "application/json",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
)
MIN_COMPRESSED_LENGTH = 200  # below this gzip's own header and trailer eat the saving


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE or not self.may_read(request):
            with versions.request_scope():
                response = self.get_response(request)
            is_personal = (
                settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META
            )
            if is_personal and "Cache-Control" not in response:
                # Made for one signed-in person: no shared cache (or CDN) may keep it.
                patch_cache_control(response, private=True)
            return response

        key = self.key(request)
        version, entry = self.lookup(key)
        if entry is not None:
            response = self.from_entry(request, entry)
            response[HEADER] = "hit"
        else:
            # Rendering reuses this read; the number stored is the one read before it began,
            # so a change that commits while it renders retires what it stores.
            with versions.request_scope(version), dependencies.recording(defaults=True) as recorded:
                response = self.get_response(request)
            keys = dependencies.compact(recorded)
            if not self.may_store(request, response):
                return response
            self.make_public(response, version)
            if cdn.is_enabled():  # what the CDN may purge it by (only then: the headers can be KBs)
                for name, value in cdn.header_values(keys).items():
                    response[name] = value
            entry = self.entry(version, request, response, keys)
            versions.cache().set(key, entry, timeout=settings.PAGE_CACHE_TIMEOUT)
            hot_pages.put(key, entry)
            response = self.from_entry(request, entry)
            response[HEADER] = "miss"
        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            return get_conditional_response(
                request,
                etag=response["ETag"],
                last_modified=parse_http_date_safe(response["Last-Modified"]),
                response=response,
            )
        return response

    @staticmethod
    def lookup(key):
        """(the current content version, the stored page if it still holds, or None).

        A page this process served lately is checked against the version alone (with a
        shared cache: one small round trip, and the page's bytes stay home); otherwise
        the version and the page come in one round trip.
        """
        entry = hot_pages.get(key)
        if entry is not None:
            version, _ = versions.current()
            if versions.is_fresh(entry[0], entry[5], version):
                if entry[0] != version.number:  # still good: stamp this process's copy
                    hot_pages.put(key, (version.number, *entry[1:]))
                return version, entry
            hot_pages.discard(key)
        version, values = versions.current(key)
        entry = values.get(key)
        if entry is not None and len(entry) == 6 and versions.is_fresh(entry[0], entry[5], version):
            if version.number - entry[0] > versions.RESTAMP_AFTER:
                # Still good many steps on: stamp the shared copy, so its check stays short.
                entry = (version.number, *entry[1:])
                versions.cache().set(key, entry, timeout=settings.PAGE_CACHE_TIMEOUT)
            hot_pages.put(key, (version.number, *entry[1:]))
            return version, entry
        return version, None

    @staticmethod
    def entry(version, request, response, keys):
        """What the cache keeps: (number, status, headers, body, "gzip" or "", dependency keys)."""
        content, encoding = response.content, ""
        if is_compressible(request, response):
            packed = gzip.compress(content, compresslevel=6, mtime=0)
            if len(packed) < len(content):
                content, encoding = packed, "gzip"
            patch_vary_headers(response, ["Accept-Encoding"])
        headers = tuple((name, value) for name, value in response.items() if name.lower() != "content-length")
        return (version.number, response.status_code, headers, content, encoding, frozenset(keys))

    @staticmethod
    def from_entry(request, entry):
        """The stored page as this request accepts it: gzipped as stored, or unpacked."""
        _, status, headers, content, encoding, _ = entry
        response = HttpResponse(status=status, headers=dict(headers))
        if encoding == "gzip" and accepts_gzip(request):
            response["Content-Encoding"] = "gzip"
            # As Django's GZipMiddleware: the compressed bytes differ, so the validator is weak.
            if response.get("ETag", "").startswith('"'):
                response["ETag"] = f"W/{response['ETag']}"
        elif encoding == "gzip":
            content = gzip.decompress(content)
        response.content = content
        response["Content-Length"] = str(len(content))
        return response

    @staticmethod
    def may_read(request):
        return (
            request.method in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.path_info.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS))
            and (not request.META.get("HTTP_COOKIE") or settings.SESSION_COOKIE_NAME not in request.COOKIES)
        )

    @staticmethod
    def key(request):
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        return (
            f"holr:page:{versions.release()}:{hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()}"
        )

    @staticmethod
    def may_store(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES):
            return False
        vary = {header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()}
        if vary - {"cookie"}:
            return False
        # A page that read the session or CSRF cookie is the same for everyone only if
        # this request carried no cookie at all.
        return not ("cookie" in vary and request.META.get("HTTP_COOKIE"))

    @staticmethod
    def make_public(response, version):
        """Headers for browsers and CDNs: validators, and a public freshness lifetime."""
        if "ETag" not in response:
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'"{digest}"'
        response["Last-Modified"] = http_date(version.changed_at.timestamp())
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_MAX_AGE,
            s_maxage=settings.PAGE_CACHE_S_MAXAGE,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
        )
        # Stored only when the page does not depend on cookies (may_store): the same
        # page for every reader, so CDNs need not split their cache by cookie.
        if "Vary" in response:
            rest = [h.strip() for h in response["Vary"].split(",") if h.strip().lower() != "cookie"]
            if rest:
                response["Vary"] = ", ".join(rest)
            else:
                del response["Vary"]


class HotPages:
    """The pages this process served last, kept in its memory too, when the cache is shared.

    With Redis every hit used to fetch the page's bytes (tens of KB) over the network; a
    page kept here needs only the content version's small round trip, and is checked
    against it exactly as a page from Redis is (versions.is_fresh), so it is never staler
    than Redis. At most settings.PAGE_CACHE_HOT_PAGES pages (least recently used go first);
    none with a per-process cache, which is in this memory already.
    """

    def __init__(self):
        self.pages = OrderedDict()
        self.lock = threading.Lock()

    def enabled(self):
        return settings.PAGE_CACHE_HOT_PAGES > 0 and versions.store() == "cache"

    def get(self, key):
        if not self.enabled():
            return None
        with self.lock:
            entry = self.pages.get(key)
            if entry is not None:
                self.pages.move_to_end(key)
            return entry

    def put(self, key, entry):
        if not self.enabled():
            return
        with self.lock:
            self.pages[key] = entry
            self.pages.move_to_end(key)
            while len(self.pages) > settings.PAGE_CACHE_HOT_PAGES:
                self.pages.popitem(last=False)

    def discard(self, key):
        with self.lock:
            self.pages.pop(key, None)

    def clear(self):
        with self.lock:
            self.pages.clear()


hot_pages = HotPages()


def is_compressible(request, response):
    """Text worth compressing that holds no secret (BREACH): no cookie set, no CSRF token used."""
    return (
        response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES)
        and "Content-Encoding" not in response
        and len(response.content) >= MIN_COMPRESSED_LENGTH
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def accepts_gzip(request):
    """Whether Accept-Encoding allows gzip: named (or "*") with a q-value above 0."""
    qualities = {}
    for coding in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, *params = (part.strip() for part in coding.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name:
            qualities[name.lower()] = quality
    for name in ("gzip", "x-gzip", "*"):
        if name in qualities:
            return qualities[name] > 0
    return False
