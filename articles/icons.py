"""The site icon at the root addresses browsers and bots ask for without reading <head>.

Pages declare the hashed copies under /static/ (long-cached); these two fixed addresses
answer the requests made without looking (Safari's /apple-touch-icon.png, crawlers'
/favicon.ico) instead of a 404 on every page.
"""

import functools
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control

ICONS = {"favicon.ico": "image/x-icon", "apple-touch-icon.png": "image/png"}
# A fixed address may change with a new icon: browsers keep it a day, not a year.
MAX_AGE = 24 * 60 * 60


@functools.cache
def icon_bytes(name):
    path = finders.find(name)
    if path is None:
        raise Http404(f"No {name} in the static files.")
    return Path(path).read_bytes()


def icon(request, name):
    response = HttpResponse(icon_bytes(name), content_type=ICONS[name])
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
