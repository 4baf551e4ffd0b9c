import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

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
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain", headers={"Retry-After": "30"})
    return HttpResponse("ok\n", content_type="text/plain")
