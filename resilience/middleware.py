import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger("holr.health")

# Errors that mean "the database is not there", as opposed to a bug in a query.
UNAVAILABLE = (OperationalError, InterfaceError)


def service_unavailable():
    """The designed 503 page: a standalone template rendered without the database."""
    template = loader.get_template("503.html")
    return HttpResponse(
        template.render({"SITE_NAME": settings.SITE_NAME}),
        status=503,
        headers={"Retry-After": "30", "Cache-Control": "no-store"},
    )


class DatabaseUnavailableMiddleware:
    """With the database unreachable, readers get "back soon" (503), not a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE) and not settings.DEBUG:
            logger.error("Database unavailable serving %s: %s", request.path, exception)
            return service_unavailable()
        return None
