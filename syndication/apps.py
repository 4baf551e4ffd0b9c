from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    """What other software reads: RSS/Atom feeds, sitemaps and robots.txt."""

    name = "syndication"
