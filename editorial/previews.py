"""Previews of unpublished work: the change form's unsaved state, and share links.

Both render the public article template with a banner, are never stored by a cache
and are never indexed.
"""

from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from articles.models import Article, PreviewLink, Status
from articles.vocabularies import VOCABULARIES


class Listed:
    """Stands in for a related manager in templates: `.all` gives the given objects."""

    def __init__(self, objects):
        self._objects = list(objects)

    def all(self):
        return self._objects


class UnsavedArticle:
    """An article built from form data, with its authors and tags held in memory.

    Templates read it like an Article; its relations come from the form, not the database.
    """

    def __init__(self, article, authors, tags):
        self._article = article
        self.authors = Listed(authors)
        # Its saved corrections and updates (a new article has none yet).
        self.notes = Listed(article.notes.all() if article.pk is not None else [])
        for key, objects in tags.items():
            setattr(self, key, Listed(objects))

    def __getattr__(self, name):
        return getattr(self._article, name)


def tags_named(vocabulary, names):
    """The existing tags with these names (any case), and unsaved ones for new names, by name."""
    if not names:
        return []
    model = vocabulary.model
    query = Q()
    for name in names:
        query |= Q(name__iexact=name)
    existing = {tag.name.casefold(): tag for tag in model.objects.filter(query)}
    tags = [
        existing.get(name.casefold())
        or model(name=name, slug=slugify(name, allow_unicode=True) or vocabulary.key)
        for name in names
    ]
    return sorted(tags, key=lambda tag: tag.name)


def unsaved_article(article, cleaned_data, authors):
    """`article` (a form's unsaved instance) ready for the article template."""
    # Derived as saving would derive them; the body is already sanitized by the form.
    article.word_count = len(strip_tags(article.body).split())
    article.updated_at = timezone.now()
    if article.status == Status.PUBLISHED and article.published_at is None:
        article.published_at = article.updated_at
    tags = {
        key: tags_named(vocabulary, cleaned_data.get(key) or []) for key, vocabulary in VOCABULARIES.items()
    }
    return UnsavedArticle(article, authors, tags)


def preview_response(request, article, banner):
    response = render(
        request, "articles/article_preview.html", {"article": article, "preview_banner": banner}
    )
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class SharedPreviewView(View):
    """/preview/<token>/: one unpublished article for someone without an account.

    An altered, unknown, expired or revoked link is a 404. Once the article is
    published the link leads to its public page.
    """

    def get(self, request, token):
        link_id = PreviewLink.id_from_token(token)
        if link_id is None:
            raise Http404("This preview link is not valid.")
        article = (
            Article.objects.for_listing()
            .with_tags()
            .filter(preview_links__in=PreviewLink.objects.active().filter(pk=link_id))
            .first()
        )
        if article is None:
            raise Http404("This preview link has expired or was revoked.")
        if article.is_published():
            return HttpResponseRedirect(article.get_absolute_url())
        response = preview_response(
            request, article, _("Preview: this article is not published yet. Please do not share this link.")
        )
        # The token must not travel to other sites in the Referer header.
        response["Referrer-Policy"] = "no-referrer"
        return response
