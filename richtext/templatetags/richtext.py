from django import template

from ..rendering import render_body

register = template.Library()


@register.simple_tag
def body(obj):
    """The object's rich-text body with its figures rendered (richtext/rendering.py)."""
    return render_body(obj)
