"""The demo content (`load_demo`) and the local admin account (`create_local_admin`)."""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate, get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleNote,
    Author,
    Event,
    Person,
    Place,
    Section,
    TaggedEvent,
    TaggedPerson,
    TaggedPlace,
)
from demo import stories as demo
from demo.management.commands import load_demo
from images.models import Image
from images.renditions import FORMATS, rendition_name
from pages.models import Page

PUTIN_XI = "xi-jinping-visits-putin-in-moscow"


def run(command, **options):
    out = StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def media_files():
    return [path for path in Path(django_settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def snapshot():
    """Everything load_demo may write, in a form that compares equal when nothing changed."""
    return {
        "counts": [
            model.objects.count()
            for model in (
                Section,
                Author,
                Article,
                ArticleAuthor,
                Image,
                Person,
                Place,
                Event,
                TaggedPerson,
                TaggedPlace,
                TaggedEvent,
            )
        ],
        "articles": list(
            Article.objects.order_by("slug").values_list(
                "slug", "lead_image_id", "published_at", "updated_at", "body", "caption"
            )
        ),
        "tags": [
            list(model.objects.order_by("name").values_list("name", "slug", "description"))
            for model in (Person, Place, Event)
        ],
        "pages": list(
            Page.objects.order_by("slug").values_list("slug", "title", "body", "is_published", "updated_at")
        ),
        "notes": list(
            ArticleNote.objects.order_by("pk").values_list("article__slug", "kind", "noted_at", "text")
        ),
        "files": sorted((str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in media_files()),
    }


@pytest.mark.django_db
def test_load_demo_publishes_illustrated_articles_tagged_in_all_three_vocabularies():
    """A first run publishes the demo magazine: every article has a section, a dek, a
    captioned lead image with alt text, credit and renditions on disk, and people,
    places and events; publication dates are recent and one article shows an update."""
    output = run("load_demo")

    articles = list(Article.objects.published().select_related("lead_image", "section").with_tags())
    assert len(articles) == len(demo.ARTICLES) >= 6
    assert output.strip() == (
        f"Demo content: {len(articles)} articles created "
        f"(4 sections, 4 authors, {len(demo.TAGS)} tags, {len(articles) + 5} images, 2 pages)."
    )
    assert Section.objects.count() == 4
    for article in articles:
        assert article.section is not None and article.dek and article.caption
        assert 350 <= article.word_count <= 700, article.slug
        assert article.people.all() and article.places.all() and article.events.all(), article.slug
        image = article.lead_image
        assert (image.width, image.height) == (1920, 1080)
        assert image.alt.startswith("Abstract illustration:") and image.credit == demo.IMAGE_CREDIT
        for extension in FORMATS:
            for rendition in getattr(image.renditions, "jpeg" if extension == "jpg" else extension):
                assert default_storage.exists(rendition_name(image.file.name, rendition.width, extension))

    # Fresh on the home page: one article a day or more apart over the last weeks, and
    # only the articles edited or corrected after publication show an "Updated" time.
    now = timezone.now()
    assert all(now - article.published_at < timedelta(weeks=4) for article in articles)
    assert len({article.published_at.date() for article in articles}) == len(articles)
    edited = {
        article.slug: article.updated_at - article.published_at for article in articles if article.is_updated
    }
    assert edited == {PUTIN_XI: timedelta(hours=2), "swiss-glaciers-alps-retreat": timedelta(days=1)}
    # One article has no author, to show the site's byline.
    assert Article.objects.filter(authors=None).count() == 1


@pytest.mark.django_db
def test_load_demo_shows_figures_galleries_an_embed_pull_quotes_and_a_table(client):
    """Two stories show the body's figures: their pictures are painted into the library
    (alt text and credit, renditions on disk) and the body's `@name` references are
    stored as those images' ids; the reader's page renders each of them."""
    run("load_demo")

    glaciers = Article.objects.get(slug="swiss-glaciers-alps-retreat")
    zurich = Article.objects.get(slug="zurich-housing-cooperatives")
    figures = {
        name: Image.objects.get(alt=artwork.alt)
        for item in demo.ARTICLES
        if item.slug in {glaciers.slug, zurich.slug}
        for name, artwork in item.figures
    }
    assert sorted(figures) == ["courtyard", "evening", "firn", "moraine", "stakes"]
    assert Image.objects.count() == len(demo.ARTICLES) + 5
    for image in figures.values():
        assert image.alt.startswith("Abstract illustration:") and image.credit == demo.IMAGE_CREDIT
        assert (image.width, image.height) == (1920, 1080)
        assert default_storage.exists(rendition_name(image.file.name, image.renditions.jpeg[0].width, "jpg"))
    assert "@" not in glaciers.body + zurich.body
    stakes = f'<figure data-image="{figures["stakes"].pk}" data-size="wide"><figcaption>Each stake'
    assert stakes in glaciers.body
    gallery = ",".join(str(figures[name].pk) for name in ("firn", "evening", "moraine"))
    assert f'<figure data-gallery="{gallery}"><figcaption>Above the Rhône Glacier' in glaciers.body
    assert '<figure data-embed="https://www.youtube.com/watch?v=Hq3Lx7GqY5E">' in glaciers.body
    assert glaciers.body.count("<figure data-pullquote") == zurich.body.count("<figure data-pullquote") == 1
    assert glaciers.body.count("<table>") == 1 and glaciers.body.count("<tr>") == 3
    assert f'<figure data-image="{figures["courtyard"].pk}" data-size="wide">' in zurich.body

    page = client.get(glaciers.get_absolute_url()).content.decode()
    for name in ("stakes", "firn", "evening", "moraine"):
        assert f'alt="{figures[name].alt}"' in page
    assert "Play on YouTube" in page and "<iframe" not in page
    assert "A single bad year can now do the damage that used to take a decade." in page
    assert "<th>What made it worse</th>" in page
    page = client.get(zurich.get_absolute_url()).content.decode()
    assert f'alt="{figures["courtyard"].alt}"' in page and "Ángela Ruiz, architect" in page


def test_demo_figure_references_must_name_a_figure_of_the_story():
    """A body that names a picture the story does not paint is refused before anything is saved."""
    with pytest.raises(ValueError, match=r"names no figure of the story \(@dawn\)"):
        load_demo.resolve_figures('<figure data-image="@dawn"></figure>', {}, "a-story")
    with pytest.raises(ValueError, match=r"\(7\)"):
        load_demo.resolve_figures('<figure data-gallery="7"></figure>', {"dawn": Image(pk=3)}, "a-story")


@pytest.mark.django_db
def test_load_demo_tags_the_putin_xi_story_with_one_person_each():
    """The Putin–Xi news story names Vladimir Putin as one person (not "Vladimir" and
    "Putin"), and 习近平 lives in Xi Jinping's description, not in a duplicate tag."""
    run("load_demo")

    article = Article.objects.get(slug=PUTIN_XI)
    assert article.section.slug == "news"
    assert article.authors.count() == 2
    assert Person.objects.filter(name__icontains="Putin").count() == 1
    assert set(article.people.values_list("name", flat=True)) >= {"Vladimir Putin", "Xi Jinping"}
    assert set(article.places.values_list("name", flat=True)) >= {"Moscow", "the Kremlin"}
    assert set(article.events.values_list("name", flat=True)) >= {
        "ICC arrest warrant for Putin",
        "Xi's 2023 state visit to Moscow",
    }
    assert "习近平" in Person.objects.get(name="Xi Jinping").description
    assert not Person.objects.filter(name="习近平").exists()
    assert Place.objects.get(name="Zürich").slug == "zürich"
    assert Person.objects.get(name="Ángela Ruiz").slug == "ángela-ruiz"


@pytest.mark.django_db
def test_load_demo_adds_about_and_contact_pages_and_dated_notes(client):
    """The demo has an About and a Contact page in the footer, and a corrected story that
    says so at its end."""
    run("load_demo")

    assert list(Page.objects.in_footer().values_list("slug", "title")) == [
        ("about", "About HOLR Magazine"),
        ("contact", "Contact"),
    ]
    home = client.get("/").content.decode()
    assert '<a href="/about/">About HOLR Magazine</a>' in home and '<a href="/contact/">Contact</a>' in home
    about = client.get("/about/")
    assert about.status_code == 200
    assert "independent magazine of reporting and ideas" in about.content.decode()
    article = Article.objects.get(slug=PUTIN_XI)
    day = timezone.localtime(article.published_at + timedelta(hours=2))
    page = client.get(article.get_absolute_url()).content.decode()
    stamp = f'<time datetime="{day.replace(microsecond=0).isoformat()}">{day.day} {day:%B %Y}</time>'
    assert f"Correction, {stamp}:</strong> An earlier version" in page


@pytest.mark.django_db
def test_load_demo_second_run_changes_nothing():
    """Running load_demo again creates no rows, paints no images and edits nothing."""
    run("load_demo")
    before = snapshot()
    image_ids = dict(Article.objects.values_list("slug", "lead_image_id"))

    output = run("load_demo")

    assert output.strip() == "Demo content already loaded, nothing to do."
    assert snapshot() == before
    assert dict(Article.objects.values_list("slug", "lead_image_id")) == image_ids


@pytest.mark.django_db
def test_load_demo_keeps_existing_tags_and_articles_as_they_are():
    """A tag an editor already made is reused (matched case-insensitively), not
    duplicated or rewritten; an article with a demo slug is left alone."""
    Person.objects.create(name="vladimir putin", description="Written by an editor.")
    Article.objects.create(title="Our own Meitner piece", slug="lise-meitner-explained-fission")

    output = run("load_demo")

    assert output.startswith(f"Demo content: {len(demo.ARTICLES) - 1} articles created")
    putin = Person.objects.get(name__iexact="vladimir putin")
    assert putin.description == "Written by an editor."
    assert Article.objects.get(slug=PUTIN_XI).people.filter(pk=putin.pk).exists()
    assert Article.objects.get(slug="lise-meitner-explained-fission").title == "Our own Meitner piece"


@pytest.mark.django_db
def test_load_demo_failure_leaves_no_rows_or_files(monkeypatch):
    """If loading fails part-way, the transaction rolls back and the images already
    painted are removed from storage with their renditions."""
    original = load_demo.Command.article
    calls = []

    def fail_on_second(self, *args):
        calls.append(args[0].slug)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, *args)

    monkeypatch.setattr(load_demo.Command, "article", fail_on_second)

    with pytest.raises(RuntimeError):
        run("load_demo")

    assert not Article.objects.exists() and not Image.objects.exists()
    assert media_files() == []


def test_demo_artwork_is_deterministic():
    """The same article always gets the same picture: its slug seeds the painter."""
    item = demo.ARTICLES[0]
    assert load_demo.paint(item.artwork, seed=item.slug) == load_demo.paint(item.artwork, seed=item.slug)
    assert load_demo.paint(item.artwork, seed=item.slug) != load_demo.paint(item.artwork, seed="another")


@pytest.mark.django_db
def test_create_local_admin_refuses_without_debug(settings):
    """With DEBUG off the command refuses and creates nothing."""
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        run("create_local_admin")

    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_create_local_admin_creates_one_superuser_and_prints_a_working_password(settings):
    """With DEBUG on the first run makes one superuser "admin" and prints its password
    once; a second run creates nothing and prints no password."""
    settings.DEBUG = True

    output = run("create_local_admin")

    User = get_user_model()
    assert User.objects.count() == 1
    admin = User.objects.get()
    assert (admin.username, admin.is_superuser, admin.is_staff) == ("admin", True, True)
    assert "http://127.0.0.1:8000/admin/" in output
    assert "shown only this once" in output
    password = re.search(r"Password:\s+(\S+)", output).group(1)
    assert len(password) >= 16
    assert authenticate(username="admin", password=password) == admin

    second = run("create_local_admin")

    assert User.objects.count() == 1
    assert second.strip() == "Sign in at http://127.0.0.1:8000/admin/ with your existing admin account."
    assert password not in second


@pytest.mark.django_db
def test_create_local_admin_leaves_an_existing_superuser_alone(settings, django_user_model):
    """When any superuser exists, no "admin" account is added."""
    settings.DEBUG = True
    django_user_model.objects.create_superuser(username="editor-in-chief", email="", password="x")

    output = run("create_local_admin")

    assert "existing admin account" in output
    assert list(django_user_model.objects.values_list("username", flat=True)) == ["editor-in-chief"]
