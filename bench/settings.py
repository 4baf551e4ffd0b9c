"""Benchmark settings: HOLR's production settings, plus the floor pages in bench/urls.py.

Used only by bench/run.py; production never loads this module.
"""

import os

from holr.settings import *
from holr.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
# The runner collects static files into a temporary folder first.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)

# wrk requests pages that may not exist yet (search, feeds, sitemaps land separately):
# one "Not Found" line per request would drown the table.
LOGGING["loggers"]["django.request"] = {"handlers": ["console"], "level": "ERROR", "propagate": False}

# The floor pages measure serving without HOLR's work: the page cache must not keep them
# (a cached floor would be the page cache's own hit path, and every ratio would be ~1).
PAGE_CACHE_EXCLUDED_PATHS = [*PAGE_CACHE_EXCLUDED_PATHS, "/bench/"]
