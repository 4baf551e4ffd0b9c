from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import nav_sections
from .vocabularies import VOCABULARIES


def site(request):
    """Site name and URL, the masthead's sections (cached; looked up only if a template shows them)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "nav_sections": SimpleLazyObject(nav_sections),
        "vocabularies": VOCABULARIES.values(),
    }
