"""The article body as the API gives it: the one body renderer (richtext/rendering.py), as
feeds use it, so the HTML stands on its own off the site: figures as absolute-URL images
with their captions and credits, embeds as links naming the provider, every link absolute.
"""

from syndication.feeds import feed_body


def render_body(article):
    return feed_body(article)
