"""WSGI entry point: `gunicorn holr.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from holr.startup import require_secret_key, require_valid_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "holr.settings")

application = get_wsgi_application()
require_secret_key()
require_valid_settings()
