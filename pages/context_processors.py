from django.utils.functional import SimpleLazyObject

from .footer import footer_pages


def footer(request):
    """The footer's page links (cached; looked up only if a template shows them)."""
    return {"footer_pages": SimpleLazyObject(footer_pages)}
