"""Small builders for test data: make_article(**overrides) and friends."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, ArticleAuthor, Author, Section, Status
from images.models import Image
from pages.models import Page

_sequence = itertools.count(1)


def image_bytes(width=800, height=450, color=(40, 90, 160), image_format="JPEG"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, image_format)
    return buffer.getvalue()


def make_upload(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


def make_image(**overrides):
    fields = {"alt": "Two leaders shake hands", "credit": "HOLR Photo Desk"}
    fields.update(overrides)
    if "file" not in fields:
        fields["file"] = make_upload(width=fields.pop("width", 800), height=fields.pop("height", 450))
    return Image.objects.create(**fields)


def make_section(**overrides):
    n = next(_sequence)
    fields = {"name": f"Section {n}", "slug": f"section-{n}"}
    fields.update(overrides)
    return Section.objects.create(**fields)


def make_author(**overrides):
    n = next(_sequence)
    fields = {"name": f"Author {n}", "slug": f"author-{n}"}
    fields.update(overrides)
    return Author.objects.create(**fields)


def make_article(*, authors=(), people=(), places=(), events=(), **overrides):
    """A published article (published an hour ago) unless overridden."""
    n = next(_sequence)
    fields = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "dek": f"The standfirst of article {n}.",
        "body": f"<p>Body of article {n}.</p>",
        "status": Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
    }
    fields.update(overrides)
    article = Article.objects.create(**fields)
    for position, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    for vocabulary, names in (("people", people), ("places", places), ("events", events)):
        if names:
            getattr(article, vocabulary).add(*names)
    return article


def make_page(**overrides):
    """A published page of the magazine's own (About, Contact…) unless overridden."""
    n = next(_sequence)
    fields = {"title": f"Page {n}", "slug": f"page-{n}", "body": f"<p>Page {n}.</p>", "is_published": True}
    fields.update(overrides)
    return Page.objects.create(**fields)


def role_group(name):
    """The "Contributor" or "Editor" group, made as migration 0002_roles makes it.

    Transactional tests (the browser tests) empty the tables the migration filled.
    """
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name=name).exists():
        import_module("articles.migrations.0002_roles").create_roles(apps, None)
        import_module("articles.migrations.0003_preview_links").let_editors_share(apps, None)
        import_module("articles.migrations.0008_article_notes").grant(apps, None)
        import_module("pages.migrations.0002_roles").grant(apps, None)
    return Group.objects.get(name=name)


def make_user(username, role=None, *, author=False, password="a-long-test-password", **fields):
    """A staff user in the given role ("Contributor", "Editor") or a superuser (role="superuser").

    With author=True the user gets an Author profile, which makes the articles they
    write their own.
    """
    from django.contrib.auth.models import User

    if role == "superuser":
        user = User.objects.create_superuser(username, f"{username}@example.com", password, **fields)
    else:
        user = User.objects.create_user(
            username, f"{username}@example.com", password, is_staff=True, **fields
        )
        if role:
            user.groups.add(role_group(role))
    if author:
        make_author(name=username.capitalize(), slug=username, user=user)
    return user
