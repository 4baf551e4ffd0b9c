"""One way to make a free slug: the text's slug, then -2, -3… until one is not taken."""

from django.utils.text import slugify


def unique_slug(text, is_taken, *, max_length=190, fallback="article"):
    """slugify(text) cut to `max_length` (or `fallback`), suffixed -2, -3… while `is_taken(slug)`."""
    base = slugify(text, allow_unicode=True)[:max_length] or fallback
    slug, n = base, 2
    while is_taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug
