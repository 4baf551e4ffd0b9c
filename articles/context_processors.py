from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import Section
from .vocabularies import VOCABULARIES


def site(request):
    """Site name and URL, the masthead's sections (queried only if a template shows them)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.only("name", "slug"))),
        "vocabularies": VOCABULARIES.values(),
    }
