import json

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

CONTENT_TYPE = "application/json; charset=utf-8"  # what django-ninja sends


def json_error(status, detail):
    return HttpResponse(json.dumps({"detail": detail}), status=status, content_type=CONTENT_TYPE)


def unknown_address(request):
    """A JSON 404 for any other address under /api/; a missing final slash is redirected to it."""
    if not request.path_info.endswith("/"):
        try:
            match = resolve(f"{request.path_info}/")
        except Resolver404:
            match = None
        if match is not None and match.func is not unknown_address:
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{request.path}/" + (f"?{query}" if query else ""))
    return json_error(404, "No such address in the API; see /api/v1/docs/.")
