from django import template
from django.conf import settings

from syndication.feeds import feeds_for

register = template.Library()


@register.simple_tag
def subject_feeds(subject):
    """A section's, author's or tag's RSS and Atom feeds, as (type, title, url) rows."""
    rss, atom = feeds_for(subject)
    title = f"{subject} · {settings.SITE_NAME}"
    return [
        {"type": "application/rss+xml", "title": f"{title} (RSS)", "url": rss},
        {"type": "application/atom+xml", "title": f"{title} (Atom)", "url": atom},
    ]
