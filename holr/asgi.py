"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from holr.startup import require_secret_key, require_valid_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "holr.settings")

application = get_asgi_application()
require_secret_key()
require_valid_settings()
