"""Sending webhooks: signed POSTs from the database queue, retried with backoff, never to private addresses.

Run by `manage.py deliver_webhooks`, outside any request. Each POST carries:

* `X-HOLR-Event`: the event, e.g. article.published;
* `X-HOLR-Timestamp`: Unix seconds when this attempt was signed;
* `X-HOLR-Signature: sha256=<hex>`: HMAC-SHA256, keyed with the endpoint's secret, of
  "<timestamp>.<body>", so a receiver can reject a replayed or altered request
  (docs/api.md has the check in Python).

Redirects are not followed and the timeout is short (WEBHOOK_TIMEOUT). Before each
attempt the URL's host is resolved and refused if any address is loopback, link-local,
private or otherwise not public (SSRF), unless WEBHOOK_ALLOW_PRIVATE_TARGETS is on.
"""

import hashlib
import hmac
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pagecache import versions

from .models import Delivery, Status

# Waits after the 1st, 2nd, … failed attempt: a minute, five, half an hour, two hours, twelve.
BACKOFF = (60, 300, 1800, 7200, 43200)
# A runner claims a delivery for this long, so two runners never send it twice at once.
LEASE = timedelta(minutes=2)
USER_AGENT = "HOLR-Webhooks/1"


class RefusedTarget(Exception):
    pass


def max_attempts():
    return getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 6)


def timeout():
    return getattr(settings, "WEBHOOK_TIMEOUT", 5)


def sign(secret, timestamp, body):
    """The X-HOLR-Signature value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def describe(address):
    for kind in ("unspecified", "loopback", "link_local", "private", "multicast", "reserved"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return "non-public"


def check_target(url):
    """Raise RefusedTarget unless `url` is http(s) to a host whose every address is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget("Only http:// and https:// addresses with a host name can receive webhooks.")
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False):
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as err:
        raise RefusedTarget(f"{parts.hostname} does not resolve: {err}") from err
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if getattr(address, "ipv4_mapped", None):
            address = address.ipv4_mapped
        if not address.is_global:
            raise RefusedTarget(
                f"{parts.hostname} resolves to {address} ({describe(address)} address): refused "
                "(set DJANGO_WEBHOOKS_ALLOW_PRIVATE=1 to allow it in development)."
            )


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status


def post(url, body, headers):
    """POST `body`; the status code, or an exception for a network failure or a non-2xx answer."""
    check_target(url)
    # No proxies from the environment: the address checked above is the one connected to.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirects)
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    with opener.open(request, timeout=timeout()) as response:
        return response.status


def attempt(delivery):
    """Send `delivery` once and record the outcome: delivered, retried later, or failed for good."""
    now = timezone.now()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-HOLR-Event": delivery.event,
        "X-HOLR-Delivery": str(delivery.pk),
        "X-HOLR-Timestamp": timestamp,
        "X-HOLR-Signature": sign(delivery.endpoint.secret, timestamp, delivery.body),
    }
    status_code, error = None, ""
    try:
        status_code = post(delivery.endpoint.url, delivery.body, headers)
    except RefusedTarget as err:
        error = str(err)
    except urllib.error.HTTPError as err:
        status_code = err.code
        error = f"HTTP {err.code}" + (" (redirects are not followed)" if 300 <= err.code < 400 else "")
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        error = "timed out" if isinstance(reason, TimeoutError | socket.timeout) else str(reason)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status_code
    delivery.last_error = error[:2000]
    if not error:
        delivery.status = Status.DELIVERED
    elif delivery.attempts >= max_attempts():
        delivery.status = Status.FAILED
    else:
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1])
    delivery.save()
    return delivery


def deliver_due(limit=100):
    """Queue scheduled articles that came due, then send every delivery whose time has come."""
    from .events import announce_due_articles

    announce_due_articles()
    # Reading the content version takes the step a scheduled article coming due needs, and
    # purges the CDN for it, even when the CDN keeps every reader away from this server.
    versions.current()
    now = timezone.now()
    sent = []
    due = Delivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).select_related("endpoint")
    for delivery in due.order_by("next_attempt_at", "id")[:limit]:
        with transaction.atomic():
            claimed = Delivery.objects.filter(
                pk=delivery.pk, status=Status.PENDING, attempts=delivery.attempts, next_attempt_at__lte=now
            ).update(next_attempt_at=now + LEASE)
        if claimed:
            sent.append(attempt(delivery))
    return sent


def send_again(deliveries):
    """Queue deliveries again now, with a fresh set of attempts (the admin's "send again")."""
    return deliveries.update(status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
