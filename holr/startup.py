"""Checks made when the site starts serving (holr/wsgi.py, holr/asgi.py)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def require_secret_key():
    """Refuse to serve without a secret key: fail at boot, not at the first request."""
    try:
        _ = settings.SECRET_KEY  # Django raises when it is empty
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(`make run` sets DJANGO_DEBUG=1 for local use)."
        ) from None


def require_valid_settings():
    """Refuse to serve with a setting HOLR's own system checks call an error (such as a CDN
    purge without its token, pagecache/checks.py): gunicorn runs no system checks itself."""
    errors = [message for message in checks.run_checks(tags=["holr"]) if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(str(error) for error in errors))
