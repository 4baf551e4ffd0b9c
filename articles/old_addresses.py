"""Old addresses from another system (a WordPress permalink, /?p=123): 301 from PathRedirect.

Looked up only when nothing else answers: after a 404, and for the home page when it is
asked with WordPress's `?p=` or `?page_id=` query. Every other request costs nothing.
A redirect to an article that readers may not see (a draft, a scheduled post) stays a 404.
"""

from django.http import HttpResponsePermanentRedirect

from .models import PathRedirect

HOME_QUERIES = ("p", "page_id", "cat", "tag", "author")


def path_redirect(request):
    """The 301 for this request's old address, or None."""
    if request.path == "/":
        candidates = [f"/?{key}={request.GET[key]}" for key in HOME_QUERIES if key in request.GET]
    else:
        candidates = [request.path, request.path.rstrip("/") + "/"]
    # A NUL can be in a URL but never in a stored address (PostgreSQL refuses it in text).
    candidates = [candidate for candidate in candidates if "\x00" not in candidate]
    if not candidates:
        return None
    found = PathRedirect.objects.filter(old_path__in=candidates).select_related("article").first()
    if found is None:
        return None
    target = found.target()
    return HttpResponsePermanentRedirect(target) if target else None


class OldAddressMiddleware:
    """Place it right after the page cache: a 301 is never cached, nor read from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and request.path == "/"
            and request.GET.keys() & set(HOME_QUERIES)
        ):
            redirect = path_redirect(request)
            if redirect is not None:
                return redirect
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            return path_redirect(request) or response
        return response
