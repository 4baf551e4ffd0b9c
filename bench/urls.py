"""The site's URLs plus two floor pages: what serving costs before HOLR does anything.

- /bench/fixed/: a fixed 20 KB HttpResponse (the middleware stack and nothing else);
- /bench/template/: a 20 KB page rendered from a template, with no queries.
Every benchmark figure is read as a ratio to the first, measured in the same run.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from holr.urls import handler500  # noqa: F401
from holr.urls import urlpatterns as site_urlpatterns

FLOOR_SIZE = 20 * 1024
_PARAGRAPH = b"<p>HOLR floor page: the same twenty kilobytes on every request.</p>\n"
FIXED_BODY = (b"<!doctype html><title>floor</title>\n" + _PARAGRAPH * (FLOOR_SIZE // len(_PARAGRAPH)))[
    :FLOOR_SIZE
]

# About 20 KB of teasers, like a listing page, from plain Python data.
TEASERS = [
    {
        "title": f"Floor teaser number {n}",
        "url": f"/articles/floor-teaser-{n}/",
        "dek": "A standfirst of about the usual length, one sentence that says what the story is about.",
        "authors": ["Anna Petrova", "Boris Ivanov"],
    }
    for n in range(72)
]


def fixed(request):
    return HttpResponse(FIXED_BODY)


def template(request):
    return render(request, "bench/floor.html", {"teasers": TEASERS})


urlpatterns = [
    path("bench/fixed/", fixed),
    path("bench/template/", template),
    *site_urlpatterns,
]
