"""The masthead's section links, cached under the site's content version.

Kept in the cache with the content version it was made under (pagecache/versions.py) and
used only while that version is current, so a section added, renamed or reordered through
any process shows in every process's masthead on the next request, whether the cache is
shared (Redis) or per-process (local memory).
"""

from dataclasses import dataclass

from pagecache import dependencies, versions

from .models import Section

CACHE_KEY = "holr:nav-sections"


@dataclass(frozen=True, slots=True)
class NavSection:
    name: str
    slug: str
    url: str

    def get_absolute_url(self):
        return self.url

    def __str__(self):
        return self.name


def nav_sections():
    """The sections in masthead order, as (name, slug, URL) rows; one query per content change."""

    def make():
        dependencies.lists_nothing()  # the sections, whatever is listed in them
        return [
            NavSection(name=section.name, slug=section.slug, url=section.get_absolute_url())
            for section in Section.objects.only("name", "slug")
        ]

    return versions.remembered(CACHE_KEY, make)
