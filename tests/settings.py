"""Test settings: production settings with plain HTTP, plain static storage and a throwaway media folder."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from holr.settings import *

# The manifest storage needs collectstatic first; tests do not run it.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="holr-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="holr-test-static-")  # WhiteNoise warns when it is missing
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Views are tested as they render (query counts included); tests/test_pagecache.py turns
# the page cache on. The test process is the only process, so its local-memory cache may
# hold the content version as a shared cache would: query counts are the same on SQLite +
# local memory and on PostgreSQL + Redis. Tests of the database store set it themselves.
PAGE_CACHE = False
CONTENT_VERSION_STORE = "cache"
# Login throttling needs a request in authenticate(), which Client.login() and bare
# authenticate() calls do not pass. tests/test_login_security.py turns it back on.
AXES_ENABLED = False
