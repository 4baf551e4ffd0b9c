from dataclasses import replace

from django import template

from articles import structured_data
from articles.links import absolute_url

register = template.Library()


@register.simple_tag
def article_json_ld(article):
    """NewsArticle and BreadcrumbList for an article page, from what the view loaded."""
    return structured_data.json_ld(structured_data.article_graph(article))


@register.simple_tag
def website_json_ld():
    """WebSite (with the search box) and the publisher, for the home page."""
    return structured_data.json_ld(structured_data.website_graph())


@register.simple_tag
def share_image(article):
    """The 1200×630 share crop of an article's lead image, at its absolute URL; or None."""
    renditions = article.lead_image.renditions if article.lead_image else None
    return replace(renditions.share, url=absolute_url(renditions.share.url)) if renditions else None
