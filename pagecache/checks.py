"""System checks for the CDN purge settings (HOLR_CDN_*): `manage.py check`, and refused at
startup by holr/wsgi.py and holr/asgi.py (holr.startup.require_valid_settings)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

from .cdn import PROVIDERS

CHOICES = ("off", *PROVIDERS)


@register("holr")
def check_cdn_purge(app_configs, **kwargs):
    """A purge setting that cannot work is an error: a CDN that keeps pages for a day unpurged
    would serve them stale all day."""
    choice = getattr(settings, "CDN_PURGE", "off")
    if choice not in CHOICES:
        return [
            Error(
                f"HOLR_CDN_PURGE is {choice!r}.",
                hint=f"Use one of: {', '.join(CHOICES)}.",
                id="pagecache.E001",
            )
        ]
    if choice == "off":
        return []
    provider = PROVIDERS[choice]
    errors = []
    if provider.needs_service_id and not settings.CDN_SERVICE_ID:
        what = "the Fastly service id" if choice == "fastly" else "the Cloudflare zone id"
        errors.append(
            Error(f"HOLR_CDN_PURGE={choice} needs HOLR_CDN_SERVICE_ID ({what}).", id="pagecache.E002")
        )
    if provider.needs_token and not settings.CDN_TOKEN:
        errors.append(
            Error(
                f"HOLR_CDN_PURGE={choice} needs HOLR_CDN_TOKEN (an API token allowed to purge).",
                id="pagecache.E003",
            )
        )
    url = settings.CDN_PURGE_URL or provider.default_url
    if not url:
        errors.append(
            Error(
                f"HOLR_CDN_PURGE={choice} needs HOLR_CDN_PURGE_URL, the address Varnish takes purges on.",
                hint="For example http://127.0.0.1:6081 (deploy/varnish.vcl).",
                id="pagecache.E004",
            )
        )
    else:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            errors.append(
                Error(
                    f"HOLR_CDN_PURGE_URL {url!r} is not an http(s) base URL.",
                    hint="For example https://api.fastly.com or http://127.0.0.1:6081.",
                    id="pagecache.E005",
                )
            )
    try:
        seconds = float(settings.CDN_TIMEOUT)
    except (TypeError, ValueError):
        seconds = 0
    if not 0 < seconds <= 60:
        errors.append(
            Error(
                f"HOLR_CDN_TIMEOUT {settings.CDN_TIMEOUT!r} is not a number of seconds between 0 and 60.",
                hint="Purges run after each save: keep it short, e.g. 2.",
                id="pagecache.E006",
            )
        )
    return errors
