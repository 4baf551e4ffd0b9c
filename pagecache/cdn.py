"""Purging a CDN by key: Fastly, Cloudflare, or Varnish with vmod xkey (HOLR_CDN_PURGE).

Every cached page carries its dependency keys (`article:12`, `image:7`, …) and the site
key `holr` in `Surrogate-Key` (space-separated: Fastly, Varnish) and `Cache-Tag`
(comma-separated: Cloudflare), from header_values(). After a change commits, the page
cache calls purge() with the keys it retired; a site-wide change purges `holr`. So a CDN
may keep pages for a day (PAGE_CACHE_S_MAXAGE) and still never show a retired one.

A page whose keys do not fit the header limits carries `holr` and `holr:overflow`
instead, and every purge also purges `holr:overflow`: such a page is retired by any
change, never left stale (docs/operating.md "A CDN in front of the pages").

purge() never raises: a CDN that refuses, fails or does not answer within CDN_TIMEOUT is
logged (warning, logger holr.pagecache.cdn) and the caller goes on. Redirects are not
followed; an outbound proxy comes from the environment (https_proxy, no_proxy) as urllib
reads it. Only the standard library: one POST (or PURGE) per batch of keys.
"""

import hashlib
import json
import logging
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings

logger = logging.getLogger("holr.pagecache.cdn")

SITE_KEY = "holr"
# Carried, with the site key, by a page whose own keys do not fit; purged by every purge.
OVERFLOW_KEY = "holr:overflow"
USER_AGENT = "HOLR-CDN-Purge/1"

# Response header limits. Varnish refuses a backend header over 8 KB (http_resp_hdr_len,
# name included); Fastly's Surrogate-Key and Cloudflare's Cache-Tag allow 16 KB, and
# Cloudflare counts at most 1,000 tags. The strictest, so one header suits every provider.
MAX_HEADER_BYTES = 8000
MAX_HEADER_KEYS = 1000
# Fastly ignores a surrogate key over 1,024 bytes: a longer key is sent as its digest.
MAX_KEY_BYTES = 1024
# Characters a key keeps as they are; anything else (spaces, commas, non-ASCII) is
# percent-encoded, the same way in the header and in the purge, so both always agree.
KEY_SAFE = ":/-._~"


@dataclass(frozen=True)
class Provider:
    name: str
    default_url: str  # "" when the operator must give one
    max_keys: int  # keys per purge request, as each provider documents
    max_bytes: int | None  # bytes of keys per request, when they travel in a header
    needs_service_id: bool
    needs_token: bool


PROVIDERS = {
    # POST /service/{service_id}/purge, keys in Surrogate-Key: up to 256 per request.
    "fastly": Provider("fastly", "https://api.fastly.com", 256, MAX_HEADER_BYTES, True, True),
    # POST /zones/{zone_id}/purge_cache {"tags": [...]}: up to 100 per request (every plan).
    "cloudflare": Provider("cloudflare", "https://api.cloudflare.com/client/v4", 100, None, True, True),
    # PURGE with the keys in xkey-purge (deploy/varnish.vcl); a request header line is at
    # most 8 KB (http_req_hdr_len).
    "varnish": Provider("varnish", "", 1000, 7000, False, False),
}
PURGE_HEADER = "xkey-purge"  # the request header deploy/varnish.vcl hands to xkey.purge()


def provider():
    """The configured Provider, or None when purging is off."""
    return PROVIDERS.get(getattr(settings, "CDN_PURGE", "off"))


def is_enabled():
    return provider() is not None


def timeout():
    return float(getattr(settings, "CDN_TIMEOUT", 2))


def base_url():
    return (getattr(settings, "CDN_PURGE_URL", "") or provider().default_url).rstrip("/")


def clean_key(key):
    """`key` as it travels in headers: no spaces, commas or non-ASCII, at most MAX_KEY_BYTES."""
    text = quote(str(key).strip(), safe=KEY_SAFE)
    if len(text) > MAX_KEY_BYTES:
        text = f"holr:sha256:{hashlib.sha256(text.encode()).hexdigest()}"
    return text


def clean_keys(keys):
    if isinstance(keys, str):
        keys = [keys]
    return {clean_key(key) for key in keys if str(key).strip()}


def header_values(keys):
    """The Surrogate-Key and Cache-Tag values for a page that depends on `keys`.

    Sorted, without duplicates, always with the site key. Keys that do not fit
    (MAX_HEADER_BYTES, MAX_HEADER_KEYS) give way to `holr holr:overflow`, which every purge
    reaches: the page is purged more often than it needs, never less.
    """
    keys = clean_keys(keys) | {SITE_KEY}
    if len(keys) > MAX_HEADER_KEYS or len(" ".join(keys)) > MAX_HEADER_BYTES:
        keys = {SITE_KEY, OVERFLOW_KEY}
    ordered = sorted(keys)
    return {"Surrogate-Key": " ".join(ordered), "Cache-Tag": ",".join(ordered)}


def keys_to_purge(keys):
    """What purging `keys` sends: the site key alone if it is among them (it reaches every
    page), else the keys and the overflow key."""
    keys = clean_keys(keys)
    if SITE_KEY in keys:
        return [SITE_KEY]
    if not keys:
        return []
    return sorted(keys | {OVERFLOW_KEY})


def batches(keys, max_keys, max_bytes):
    """`keys` in runs of at most max_keys keys and max_bytes bytes (space-joined)."""
    batch, size = [], 0
    for key in keys:
        added = len(key) + (1 if batch else 0)
        if batch and (len(batch) == max_keys or (max_bytes and size + added > max_bytes)):
            yield batch
            batch, size, added = [], 0, len(key)
        batch.append(key)
        size += added
    if batch:
        yield batch


def build_request(chosen, batch):
    """The urllib Request that purges `batch` at `chosen`."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if chosen.name == "fastly":
        service = quote(settings.CDN_SERVICE_ID, safe="")
        headers |= {"Fastly-Key": settings.CDN_TOKEN, "Surrogate-Key": " ".join(batch)}
        return urllib.request.Request(
            f"{base_url()}/service/{service}/purge", data=b"", headers=headers, method="POST"
        )
    if chosen.name == "cloudflare":
        zone = quote(settings.CDN_SERVICE_ID, safe="")
        headers |= {"Authorization": f"Bearer {settings.CDN_TOKEN}", "Content-Type": "application/json"}
        body = json.dumps({"tags": batch}).encode()
        return urllib.request.Request(
            f"{base_url()}/zones/{zone}/purge_cache", data=body, headers=headers, method="POST"
        )
    headers[PURGE_HEADER] = " ".join(batch)
    return urllib.request.Request(f"{base_url()}/", headers=headers, method="PURGE")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status


class Unreachable(Exception):
    """The CDN did not answer: no point trying the next batch."""


def send(chosen, batch):
    """Purge one batch; an error message, or "" when the CDN accepted it."""
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(build_request(chosen, batch), timeout=timeout()) as response:
            body = response.read(65536)
    except urllib.error.HTTPError as err:
        return f"HTTP {err.code}" + (" (redirects are not followed)" if 300 <= err.code < 400 else "")
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise Unreachable(
            "timed out" if isinstance(reason, TimeoutError | socket.timeout) else str(reason)
        ) from err
    if chosen.name == "cloudflare":
        # Cloudflare's API says {"success": false, "errors": [...]} when it refused the purge.
        try:
            if json.loads(body).get("success") is False:
                return f"HTTP {response.status}, success false: {body[:300].decode(errors='replace')}"
        except (ValueError, AttributeError):
            pass
    return ""


def purge(keys):
    """Purge `keys` (strings such as "article:12"; SITE_KEY for everything) at the CDN.

    Returns True when the CDN accepted every request, False when purging is off or a
    request failed. Never raises: failures are logged as warnings.
    """
    chosen = provider()
    if chosen is None:
        return False
    try:
        pending = list(batches(keys_to_purge(keys), chosen.max_keys, chosen.max_bytes))
    except Exception as err:  # keys that are not an iterable of keys
        logger.warning("CDN purge failed: provider=%s status=%s keys=%r", chosen.name, err, keys)
        return False
    accepted = True
    for index, batch in enumerate(pending):
        try:
            error = send(chosen, batch)
        except Unreachable as err:
            rest = [key for later in pending[index:] for key in later]
            logger.warning(
                "CDN purge failed: provider=%s status=%s keys=%s",
                chosen.name,
                f"unreachable ({err})",
                " ".join(rest),
            )
            return False
        except Exception as err:  # never into the caller: a commit hook must not fail the save
            error = f"{type(err).__name__}: {err}"
        if error:
            accepted = False
            logger.warning(
                "CDN purge failed: provider=%s status=%s keys=%s", chosen.name, error, " ".join(batch)
            )
        else:
            shown = " ".join(batch[:20]) + (f" … ({len(batch) - 20} more)" if len(batch) > 20 else "")
            logger.info("CDN purge: provider=%s keys=%s", chosen.name, shown)
    return accepted
