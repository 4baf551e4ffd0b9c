"""`{% teaser article %}`: a story's teaser, made once per process while nothing it shows changes.

Same markup as `{% include "includes/teaser.html" %}` with the same variables; the HTML is
kept by pagecache.fragments, keyed by the article and its last save, the variant and the
language, and depends on the article, its lead image, section and authors (what was
loaded with it) and whatever rendering it loads. After an edit retires the home page,
the page is made again from nineteen kept teasers and one new one.
"""

from django import template
from django.template.loader import get_template
from django.utils import timezone, translation

from pagecache import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def teaser(context, article, lead=False, level="3", show_section=False):
    def make():
        with context.push(article=article, lead=lead, level=level, show_section=show_section):
            return get_template("includes/teaser.html").template.render(context)

    key = (
        "teaser",
        article.pk,
        article.updated_at,
        lead,
        level,
        show_section,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    return fragments.kept(key, make, depends_on=fragments.keys_of(article))
