"""WordPress pages become the magazine's own pages, nested ones at their leaf slug with a 301 from the old path."""

from pathlib import Path

import pytest

from wordpress import body, pages
from wordpress.wxr import read_wxr

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"


def wordpress_pages():
    return {
        item.post_id: item
        for kind, item in read_wxr(FIXTURES / "magazine.xml")
        if kind == "item" and item.post_type == "page"
    }


class NoMedia:
    def by_id(self, wp_id):
        return None

    def by_path(self, path):
        return None

    def children(self, post_id):
        return []


def test_pages_are_parsed_with_their_parents_links_and_bodies():
    found = wordpress_pages()
    assert sorted(found) == [200, 201, 202, 203]
    assert (found[201].slug, found[201].parent_id, found[201].link) == (
        "team",
        200,
        "http://holr.example/about/team/",
    )


def test_a_nested_page_keeps_its_leaf_slug_and_its_body_is_converted():
    fields = pages.page_fields(wordpress_pages()[201], NoMedia(), body.Notes(), "Our team")
    assert fields == {
        "title": "Our team",
        "slug": "team",
        "body": "<p>Anna and Bob.</p>",
        "is_published": True,
        "footer_order": 0,
    }


def test_a_classic_page_gets_paragraphs_and_a_draft_is_not_published():
    found = wordpress_pages()
    assert (
        pages.page_fields(found[200], NoMedia(), body.Notes(), "About us")["body"]
        == "<p>We are a magazine.</p>\n<p>Since 2013.</p>"
    )
    draft = pages.page_fields(found[203], NoMedia(), body.Notes(), "Draft page")
    assert (draft["slug"], draft["is_published"]) == ("draft-page", False)


@pytest.mark.parametrize(
    ("slug", "taken", "expected"),
    [
        ("about", set(), "about"),
        ("search", set(), "search-page"),
        ("feed", {"feed-page"}, "feed-page-2"),
        ("2013", set(), "2013-page"),
        ("category", set(), "category-page"),
        ("team", {"team"}, "team-page"),
    ],
)
def test_reserved_and_taken_slugs_are_resolved(slug, taken, expected):
    assert pages.free_slug(slug, taken.__contains__) == expected


@pytest.mark.django_db
def test_pages_import_with_their_old_paths_and_reserved_slugs_resolved(client):
    from io import StringIO

    from django.core.management import call_command

    from pages.models import Page

    stdout = StringIO()
    call_command("import_wordpress", str(FIXTURES / "magazine.xml"), "--tags-as", "events", stdout=stdout)
    imported = {page.title: page for page in Page.objects.all()}
    assert sorted(imported) == ["About us", "Draft page", "Our team", "Search"]
    assert (imported["About us"].slug, imported["About us"].is_published) == ("about", True)
    assert imported["Search"].slug == "search-page"  # /search/ is the site's own
    assert "“search” is reserved or taken" in stdout.getvalue()
    assert imported["Draft page"].is_published is False

    assert client.get("/about/").status_code == 200
    response = client.get("/about/team/")
    assert (response.status_code, response["Location"]) == (301, "/team/")
    assert client.get("/draft-page/").status_code == 404

    call_command("import_wordpress", str(FIXTURES / "magazine.xml"), "--tags-as", "events", stdout=StringIO())
    assert Page.objects.count() == 4  # a second run updates, it does not duplicate
