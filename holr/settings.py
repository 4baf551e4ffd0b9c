"""HOLR settings, read from the environment (12-factor).

Safe by default: debug is off unless DJANGO_DEBUG=1 (which `make run` sets), and the
site will not serve without DJANGO_SECRET_KEY when debug is off. See README.md "Settings".
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django_prose_editor.config import html_tags
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG", False)

# Required whenever debug is off; there is no fallback. Commands that need no key
# (migrate, makemigrations, collectstatic) run without one; serving does not:
# holr/wsgi.py and holr/asgi.py refuse to start, and anything else that needs the
# key raises Django's ImproperlyConfigured.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

SITE_NAME = os.environ.get("SITE_NAME", "HOLR Magazine")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # its sitemap.xml templates
    "taggit",
    "django_prose_editor",
    "images",
    "articles",
    "pages",
    "richtext",
    "pagecache",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "security",
    "revisions",
    "search",
    "editorial",
    "bodyeditor",
    "syndication",
    "backups",
    "demo",
    "wordpress",
    "api",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # As early as possible: a cached page skips sessions, auth and the view (README "Caching").
    "pagecache.middleware.PageCacheMiddleware",
    # Inside the page cache, so cached API responses keep their CORS headers and validators.
    "api.middleware.ApiMiddleware",
    # Old addresses (WordPress permalinks, /?p=123): after a 404 only, never cached.
    "articles.old_addresses.OldAddressMiddleware",
    "security.middleware.ContentSecurityPolicyMiddleware",
    "security.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "resilience.middleware.DatabaseUnavailableMiddleware",
    "images.cleanup.FilesFollowTransactionsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "security.middleware.TwoFactorMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "holr.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
                "pages.context_processors.footer",
            ],
        },
    },
]

WSGI_APPLICATION = "holr.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request (and /healthz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "5")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
if _cache_url:
    CACHES = {
        "default": {
            # Redis errors are logged and ignored: pages are served from the database
            # while Redis is down (resilience/cache.py).
            "BACKEND": "resilience.cache.FaultTolerantRedisCache",
            "LOCATION": _cache_url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The admin's URL prefix ("admin/" unless DJANGO_ADMIN_PATH says otherwise), with one
# trailing slash and no leading one.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# The page cache (pagecache/): anonymous pages whole, never stale (README "Caching").
# Off by default under DJANGO_DEBUG=1 (`make run`), where templates change without a restart.
PAGE_CACHE = env_flag("DJANGO_PAGE_CACHE", not DEBUG)
PAGE_CACHE_TIMEOUT = int(os.environ.get("DJANGO_PAGE_CACHE_TIMEOUT", "3600"))
# With a shared cache (Redis), each process also keeps the pages it served last in its own
# memory, checked against the content version on every hit (pagecache/middleware.py).
PAGE_CACHE_HOT_PAGES = int(os.environ.get("DJANGO_PAGE_CACHE_HOT_PAGES", "500"))
# Pieces of pages (teasers) kept in each process, reused while nothing they show changed
# (pagecache/fragments.py); 0 turns them off.
PAGE_CACHE_FRAGMENTS = int(os.environ.get("DJANGO_PAGE_CACHE_FRAGMENTS", "5000"))
# Purging a CDN by key after each change (pagecache/cdn.py, docs/operating.md "A CDN in
# front of the pages"): "off", "fastly", "cloudflare" or "varnish". The URL defaults to the
# provider's public API (Varnish has none: its address is required); the service id is
# Fastly's service or Cloudflare's zone. pagecache/checks.py refuses an incomplete setup.
CDN_PURGE = os.environ.get("HOLR_CDN_PURGE", "").strip().lower() or "off"
CDN_PURGE_URL = os.environ.get("HOLR_CDN_PURGE_URL", "").strip()
CDN_SERVICE_ID = os.environ.get("HOLR_CDN_SERVICE_ID", "").strip()
CDN_TOKEN = os.environ.get("HOLR_CDN_TOKEN", "").strip()
CDN_TIMEOUT = os.environ.get("HOLR_CDN_TIMEOUT", "2").strip()  # seconds; a number, checked at startup
# What browsers and CDNs are told: browsers revalidate every time (a 304 when unchanged);
# a CDN may keep a page s-maxage seconds: a minute, or a day when every change purges it.
PAGE_CACHE_MAX_AGE = int(os.environ.get("DJANGO_PAGE_CACHE_MAX_AGE", "0"))
PAGE_CACHE_S_MAXAGE = int(
    os.environ.get(
        "DJANGO_PAGE_CACHE_S_MAXAGE", "86400" if CDN_PURGE in {"fastly", "cloudflare", "varnish"} else "60"
    )
)
PAGE_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("DJANGO_PAGE_CACHE_STALE_WHILE_REVALIDATE", "30"))
# The icons keep their own day-long Cache-Control (articles/icons.py), which the page cache would shorten.
PAGE_CACHE_EXCLUDED_PATHS = [
    f"/{ADMIN_PATH}",
    "/preview/",
    "/healthz",
    "/favicon.ico",
    "/apple-touch-icon.png",
]
# A save or delete of any model in these apps changes what readers see; their instances
# built while a page renders are its dependency keys (pagecache/dependencies.py).
PAGE_CACHE_WATCHED_APPS = ["articles", "images", "search", "revisions", "pages"]
# Webhooks (webhooks/, docs/api.md): endpoints on loopback or private networks are refused
# (SSRF) unless this is on, for development and tests.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_flag("DJANGO_WEBHOOKS_ALLOW_PRIVATE", False)
WEBHOOK_TIMEOUT = float(os.environ.get("DJANGO_WEBHOOKS_TIMEOUT", "5"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("DJANGO_WEBHOOKS_MAX_ATTEMPTS", "6"))
# Where the content version lives: "cache" when the cache is shared (Redis), "database"
# when it is per-process (local memory); "auto" picks by the cache backend.
CONTENT_VERSION_STORE = os.environ.get("DJANGO_CONTENT_VERSION_STORE", "auto")
# Argon2 for new and changed passwords; older hashes still verify and are upgraded
# on the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The language of the public site (docs/translation.md): "fr" or "fr-ca" for French,
# "en-gb" by default. A regional code falls back to its language's catalogue and formats.
LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en-gb")
# The languages the site's own templates are translated into; the admin has Django's.
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Media (originals and renditions) on S3-compatible object storage, so that several app
# servers share them: set AWS_STORAGE_BUCKET_NAME (README "Several app servers").
# Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the host's role.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "url_protocol": os.environ.get("AWS_S3_URL_PROTOCOL", "https:"),
            "location": os.environ.get("AWS_LOCATION", ""),
            # Plain public URLs: the same for every reader, so pages and CDNs can cache them.
            "querystring_auth": False,
            # "public-read" where the bucket uses ACLs; else a bucket policy grants public reads.
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
            # Stored names never change content (a replaced image gets a new name, and its
            # renditions a new folder), so browsers and CDNs may keep them for good.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

# Uploads: images are capped at 20 MB by the image validator; let Django stream
# anything over 2.5 MB to a temporary file rather than memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o644

# HTTPS: on by default whenever debug is off; DJANGO_HTTPS=0 serves plain HTTP
# (behind a TLS-terminating proxy on loopback, or in a local test).
HTTPS = env_flag("DJANGO_HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    # Load balancers probe /healthz over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # Strict would sign editors out when they follow a link into the admin
# No script reads the CSRF cookie: admin scripts that post take the token from the
# form's csrfmiddlewaretoken input.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Tags: split on commas only, so "Vladimir Putin" is one person (taggit splits on
# spaces when there is no comma). Matching is case-insensitive.
TAGGIT_TAGS_FROM_STRING = "articles.tagging.parse_tags"
TAGGIT_STRING_FROM_TAGS = "articles.tagging.format_tags"
TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (400, 403, 404…) is one line, without the traceback Django attaches.
    "filters": {"one_line_client_errors": {"()": "resilience.logs.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_client_errors"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "holr": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Content-Security-Policy (django-csp 4). Public pages run only the site's own scripts
# and styles (JSON-LD blocks are data, not scripts). The admin gets its own policy:
# see security/middleware.py.
_media_host = urlsplit(MEDIA_URL)  # media on another host (a CDN) is allowed as images
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": [
            "'self'",
            "data:",
            *([f"{_media_host.scheme}://{_media_host.netloc}"] if _media_host.netloc else []),
        ],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Exactly the embed providers' player hosts (richtext/embeds.py EMBED_HOSTS; a test
        # keeps the two lists equal): a player loads only after the reader's click, and
        # none of them may ever run script here.
        "frame-src": [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://geo.dailymotion.com",
            "https://open.spotify.com",
            "https://w.soundcloud.com",
            "https://embed.bsky.app",
            "https://www.instagram.com",
            "https://platform.twitter.com",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# What the admin adds to the public policy: a per-request nonce for the import map the
# rich-text editor's scripts need (security/apps.py), and the hash of the one <style>
# element its Tiptap core injects (ProseMirror's base CSS, fixed for the pinned
# django-prose-editor; tests/browser/test_content_security_policy.py fails if it changes).
# No 'unsafe-inline' anywhere.
CONTENT_SECURITY_POLICY_ADMIN_ADDITIONS = {
    "script-src": [NONCE],
    "style-src": ["'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
}
# The story editor's own Tiptap extensions (figures, pull quotes, tables with a header
# row): one ES module, loaded by django-prose-editor when a field's config names them.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("bodyeditor/story-editor.js")],
        "extensions": {
            name: html_tags([])  # the body's sanitizer is richtext/sanitizer.py, not the package's
            for name in ("HolrImage", "HolrGallery", "HolrEmbed", "HolrPullQuote")
        },
    }
]
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Logins: django-axes locks an account, and separately an address, out for 15 minutes
# after 5 failed logins within 15 minutes. Editors unlock in the admin ("Access attempts").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "security.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "security.lockout.client_ip"
# Behind N reverse proxies that each append to X-Forwarded-For, the client is the Nth
# address from the right; 0 (the default) uses the connecting address.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

# Two-factor sign-in (TOTP, django-otp) is open to every staff member; members of the
# groups named here (comma-separated, e.g. "Editor") must set it up before using the admin.
TWO_FACTOR_REQUIRED_GROUPS = env_list("DJANGO_2FA_REQUIRED_GROUPS", [])
OTP_TOTP_ISSUER = SITE_NAME
