"""The article body as the API gives it: the page's HTML, with the site's own links made absolute.

One function, so the API follows the page when the body renderer changes (issue 14: "the
same renderer as the page"); the lead points it at the richtext app's `render_body`.
"""

from articles.feeds import feed_body


def render_body(article):
    return feed_body(article.body)
