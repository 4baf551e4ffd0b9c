"""The published pages listed in every page's footer, cached under the content version.

Like the masthead (articles/navigation.py): kept with the content version it was made
under (pagecache/versions.py), so a page published, renamed, reordered or unpublished in
any process shows in every footer on the next request, at one query per content change.
"""

from dataclasses import dataclass

from pagecache import dependencies, versions

from .models import Page

CACHE_KEY = "holr:footer-pages"


@dataclass(frozen=True, slots=True)
class FooterPage:
    title: str
    url: str


def footer_pages():
    def make():
        dependencies.lists_nothing()  # pages, not articles
        return [
            FooterPage(page.title, page.get_absolute_url())
            for page in Page.objects.in_footer().only("title", "slug")
        ]

    return versions.remembered(CACHE_KEY, make)
