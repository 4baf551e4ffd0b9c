"""The article changelist's date hierarchy, without a scan of every article for its years.

Django's top level asks the database for the distinct years of the whole list: on
SQLite a function call per row, half a second at 100,000 articles. An archive has
articles in every year between its first and its last, so the years are those two
bounds and the ones between, found with two index lookups. Deeper levels (a year's
months, a month's days) look at one year's rows and stay Django's own.
"""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def article_date_hierarchy(cl):
    field_name = cl.date_hierarchy
    year_field = f"{field_name}__year"
    if any(key.startswith(f"{field_name}__") for key in cl.params):
        return date_hierarchy(cl)
    dated = cl.queryset.filter(**{f"{field_name}__isnull": False}).values_list(field_name, flat=True)
    first = dated.order_by(field_name).first()
    if first is None:
        return {"show": False}
    last = dated.order_by(f"-{field_name}").first()
    if timezone.localtime(first).year == timezone.localtime(last).year:
        return date_hierarchy(cl)  # one year: Django starts at its months
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": cl.get_query_string({year_field: str(year)}, [f"{field_name}__"]), "title": str(year)}
            for year in range(timezone.localtime(first).year, timezone.localtime(last).year + 1)
        ],
    }
