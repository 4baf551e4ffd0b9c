"""HTTP for the API: JSON errors, validators (ETag, Last-Modified, 304) and CORS for GET.

Sits right after the page cache, so what the cache stores already carries these headers,
and a cache hit answers conditional requests the same way (pagecache/middleware.py).
Last-Modified is the content version's time: the moment anything readers see last changed.
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from pagecache import versions

from .views import json_error

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
    "Access-Control-Max-Age": "86400",
}


def api_prefix():
    return getattr(settings, "API_PATH_PREFIX", "/api/")


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(api_prefix()):
            return self.get_response(request)
        if request.method == "OPTIONS":  # a CORS preflight (a conditional GET sends one)
            response = HttpResponse(status=204)
        else:
            method = request.method
            if method == "HEAD":
                # As Django's own views do: answered as GET, the server leaves out the body
                # (and the page cache stores the full answer, as it does for pages).
                request.method = "GET"
            response = self.get_response(request)
            request.method = method
            if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
                "application/json"
            ):
                response = self.json_error(response)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        if request.method in ("GET", "HEAD") and not response.streaming and response.status_code != 304:
            return self.with_validators(request, response)
        return response

    @staticmethod
    def json_error(response):
        """Django's own 404/405/500 pages are HTML; an API client gets JSON with the same status."""
        detail = {
            404: "No such address in the API; see /api/v1/docs/.",
            405: "The API is read-only: use GET.",
        }
        replacement = json_error(
            response.status_code, detail.get(response.status_code, response.reason_phrase)
        )
        if "Allow" in response:
            replacement["Allow"] = response["Allow"]
        return replacement

    @staticmethod
    def with_validators(request, response):
        if "ETag" not in response:
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'"{digest}"'
        version, _ = versions.current()
        changed = int(version.changed_at.timestamp())
        response["Last-Modified"] = http_date(changed)
        if response.status_code == 200:
            return get_conditional_response(
                request, etag=response["ETag"], last_modified=changed, response=response
            )
        return response
