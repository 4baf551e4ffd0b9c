"""Settings for app servers that tests start as separate processes (gunicorn, tests/test_two_servers.py).

Production settings, page cache and all, with plain static storage: the manifest storage
needs a collectstatic run that these tests do not need.
"""

import tempfile

from django.conf.global_settings import PASSWORD_HASHERS

from holr.settings import *

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = tempfile.mkdtemp(prefix="holr-serving-static-")  # WhiteNoise warns when it is missing
# Users made by the test process have the suite's fast password hashes.
PASSWORD_HASHERS = [*PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
