"""System checks for HOLR's own settings (run by `manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@register("holr", deploy=True)
def check_site_url(app_configs, **kwargs):
    """Canonical links are built from SITE_URL: a local address in production misleads search engines."""
    url = urlsplit(settings.SITE_URL)
    if url.scheme not in {"http", "https"} or not url.hostname:
        return [Warning(f"SITE_URL {settings.SITE_URL!r} is not an absolute http(s) URL.", id="holr.W001")]
    if url.hostname in LOCAL_HOSTS:
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}, a local address.",
                hint="Set SITE_URL to the magazine's public address, e.g. https://magazine.example.",
                id="holr.W002",
            )
        ]
    return []
