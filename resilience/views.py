import logging
import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import never_cache

from .middleware import UNAVAILABLE, service_unavailable

logger = logging.getLogger("holr.health")


@never_cache
def healthz(request):
    """200 when the app and its database answer, 503 (plain text, no template) otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Health check failed: the database does not answer (%s).", error)
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain", headers={"Retry-After": "30"}
        )
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """The 500 page, in the site's design, rendered without touching the database."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):  # raised outside a view, e.g. in a middleware
        return service_unavailable()
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SITE_NAME}))
