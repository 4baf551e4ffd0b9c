"""The masthead's section links, kept in the cache and dropped whenever a section changes."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Section

CACHE_KEY = "holr:nav-sections"
# A backstop for per-process caches (several workers on local memory); a shared cache is
# cleared on every change by the receiver below.
NAV_TIMEOUT = 300


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
    """The sections in masthead order, as (name, slug, URL) rows; one query per cache miss."""
    sections = cache.get(CACHE_KEY)
    if sections is None:
        sections = [
            NavSection(name=section.name, slug=section.slug, url=section.get_absolute_url())
            for section in Section.objects.only("name", "slug")
        ]
        cache.set(CACHE_KEY, sections, timeout=NAV_TIMEOUT)
    return sections


@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
def forget_nav_sections(**kwargs):
    cache.delete(CACHE_KEY)
