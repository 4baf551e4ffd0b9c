"""Small builders for test data: make_article(**overrides) and friends."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article, ArticleAuthor, Author, Section, Status
from images.models import Image

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
