"""django-axes hooks: the client's address for per-address throttling, and the lock-out page."""

import logging

from axes.helpers import get_client_username
from django.conf import settings
from django.shortcuts import render

logger = logging.getLogger("holr.security")


def client_ip(request):
    """The client's address: the connecting one, or behind TRUSTED_PROXY_COUNT proxies the
    address the outermost trusted proxy saw (X-Forwarded-For is spoofable to its left)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lock-out response: the admin-styled "sign-in paused" page (429)."""
    return render(
        request,
        "security/locked_out.html",
        {
            "username": get_client_username(request, credentials) or "",
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
            "title": "Sign-in paused",
        },
        status=429,
    )


def log_lockout(sender, request, username, ip_address, **kwargs):
    """One plain line for operators (django-axes' own lines mask the name and address)."""
    logger.warning(
        "Admin sign-in locked for %s minutes after %s failures: username=%r address=%s",
        round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        settings.AXES_FAILURE_LIMIT,
        username,
        ip_address,
    )
