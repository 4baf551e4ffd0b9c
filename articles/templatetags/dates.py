"""Dates for machines: the `datetime` attribute of <time>."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_datetime(value):
    """A valid HTML datetime: local time to the second with its offset ("2024-05-01T09:30:09+01:00").

    `|date:"c"` keeps microseconds, and HTML allows at most three fraction digits.
    """
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")
