"""Teasers kept in process memory while nothing they show changes (pagecache/fragments.py)."""

import pytest

from articles.models import Article
from pagecache import fragments
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True
    fragments.clear()
    yield
    fragments.clear()


@pytest.fixture
def teaser_renders(monkeypatch):
    """How many times includes/teaser.html is rendered."""
    from django.template.base import Template as Compiled

    made = []
    real_render = Compiled.render

    def render(self, context):
        if self.name == "includes/teaser.html":
            made.append(context.get("article").pk)
        return real_render(self, context)

    monkeypatch.setattr(Compiled, "render", render)
    return made


def test_the_home_page_made_again_after_an_edit_makes_only_the_edited_teaser(client, teaser_renders):
    stories = [make_article(title=f"Story {n}") for n in range(5)]
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert len(teaser_renders) == 5
    teaser_renders.clear()

    stories[2].title = "Story two, rewritten"
    stories[2].save()
    response = client.get("/")

    assert response["X-Page-Cache"] == "miss"
    assert teaser_renders == [stories[2].pk]
    assert "Story two, rewritten" in response.content.decode()


def test_a_kept_teaser_shows_a_new_image_credit_author_name_and_section_name(client):
    image, author, section = make_image(credit="First agency"), make_author(name="Ann Writer"), make_section()
    make_article(title="Pictured", lead_image=image, authors=[author], section=section)
    client.get("/")
    image.credit, image.alt = "Second agency", "A new description"
    image.save()
    author.name = "Ann Rewriter"
    author.save()
    section.name = "Renamed desk"
    section.save()
    page = client.get("/").content.decode()
    assert "A new description" in page
    assert "Ann Rewriter" in page
    assert "Renamed desk" in page


def test_a_teaser_page_is_the_same_with_fragments_and_without(client, settings):
    for n in range(3):
        make_article(
            title=f"Story {n}", lead_image=make_image(), authors=[make_author()], section=make_section()
        )
    client.get("/")
    Article.objects.first().save()  # retires the home page; the teasers stay
    with_fragments = client.get("/").content.decode()
    settings.PAGE_CACHE_FRAGMENTS = 0
    Article.objects.first().save()
    assert client.get("/").content.decode() == with_fragments


def test_the_keys_of_an_article_include_what_was_loaded_with_it():
    story = make_article(lead_image=make_image(), authors=[make_author()], section=make_section())
    loaded = (
        Article.objects.select_related("lead_image", "section").prefetch_related("authors").get(pk=story.pk)
    )
    keys = fragments.keys_of(loaded)
    assert {
        f"article:{story.pk}",
        f"image:{story.lead_image_id}",
        f"section:{story.section_id}",
        f"author:{story.authors.get().pk}",
    } <= keys


def test_signed_in_pages_never_use_kept_teasers(client, admin_user, teaser_renders):
    make_article()
    client.get("/")
    client.force_login(admin_user)
    teaser_renders.clear()
    client.get("/")
    assert len(teaser_renders) == 1
