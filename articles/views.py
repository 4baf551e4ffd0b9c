import hashlib

from django.core.paginator import InvalidPage
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from pagecache import dependencies, versions
from richtext.rendering import attach_body_images, body_images, image_ids, render_body

from . import letters
from .cache_scope import tagged_key
from .discovery import often_with
from .models import Article, Author, Section
from .pagination import ArticlePaginator, UnevenPaginator
from .redirects import article_moved_or_gone, tag_moved
from .vocabularies import VOCABULARIES

ARTICLES_PER_PAGE = 20
RELATED_ARTICLES = 4
# Up to this many names in all, /people/ lists them all as it did before the letter pages
# (issue 12), if they fit in a letter page's size (articles/letters.py).
INDEX_ON_ONE_PAGE = 200


class ArticleListView(ListView):
    """Published articles, newest first, 20 a page (a bad ?page= is a 404)."""

    paginate_by = ARTICLES_PER_PAGE
    paginator_class = ArticlePaginator
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get_paginator(self, *args, **kwargs):
        # One cached count per listing, and deep pages by id (see articles/pagination.py).
        return super().get_paginator(
            *args, count_key=self.request.path, page_rows=Article.objects.for_listing(), **kwargs
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Page 2 onwards: search engines follow its links but do not list the page itself.
        context["noindex"] = context["page_obj"] is not None and context["page_obj"].number > 1
        # The page's share card shows its first story with a picture: the lead story on
        # the home page, the newest on a tag, section or author page (includes/social_meta.html).
        pictured = (article for article in context["articles"] if article.lead_image)
        context["share_article"] = next(pictured, None)
        return context


class HomeView(ArticleListView):
    template_name = "articles/home.html"


class SubjectArticleListView(ArticleListView):
    """The articles of one subject: a section, an author or a tag."""

    template_name = "articles/article_list.html"
    subject_filter = None  # the Article lookup that selects the subject's articles
    subject_kind = None
    description_field = "description"
    # A tag or author known only from unpublished work must not show readers it exists.
    hide_when_empty = True

    def get_subject(self):
        return get_object_or_404(self.subject_model, slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.subject = self.get_subject()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(**{self.subject_filter: self.subject})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            subject=self.subject,
            subject_kind=self.subject_kind,
            description=getattr(self.subject, self.description_field),
            **kwargs,
        )
        if self.hide_when_empty and not context["paginator"].count:
            raise Http404(f"No published articles for {self.subject_kind.lower()} {self.subject}.")
        return context


class SectionView(SubjectArticleListView):
    subject_model = Section
    subject_filter = "section"
    subject_kind = _("Section")
    hide_when_empty = False  # sections are in the masthead, even before their first article


class AuthorView(SubjectArticleListView):
    subject_model = Author
    subject_filter = "authors"
    subject_kind = _("Author")
    description_field = "bio"

    def get_subject(self):
        return get_object_or_404(Author.objects.select_related("photo"), slug=self.kwargs["slug"])


class TagView(SubjectArticleListView):
    """One view for all three vocabularies: /people/<slug>/, /places/<slug>/, /events/<slug>/."""

    def get_subject(self):
        self.vocabulary = self.kwargs["vocabulary"]
        self.subject_filter = self.vocabulary.key
        self.subject_kind = capfirst(self.vocabulary.singular)
        return get_object_or_404(self.vocabulary.model, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            vocabulary=self.vocabulary,
            # Kept until content changes, like the related stories under an article.
            often_with=versions.remembered(
                f"holr:often-with:{self.vocabulary.key}:{self.subject.pk}", lambda: often_with(self.subject)
            ),
            **kwargs,
        )

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Http404:
            # A renamed or merged tag's old address answers 301 to the tag it became.
            moved = tag_moved(kwargs["vocabulary"], kwargs["slug"])
            if moved is None:
                raise
            return moved


class TagIndexMixin:
    """The A–Z letter navigation of one vocabulary: every letter, with its number of names."""

    template_name = "articles/tag_index.html"
    letter = None  # the letter whose names the page shows, if one is chosen
    is_letter_page = False  # the letter's own page, rather than /people/ showing its first names

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.vocabulary = self.kwargs["vocabulary"]
        self.initials = letters.letter_initials(self.vocabulary)

    def get_context_data(self, **kwargs):
        jumps = [
            {
                "letter": letter,
                "names": self.initials.get(letter, (0,))[0],
                "url": letter in self.initials
                and reverse("articles:tag-letter", kwargs={"vocabulary": self.vocabulary, "letter": letter}),
                "is_current": self.is_letter_page and letter == self.letter,
            }
            for letter in letters.LETTERS
        ]
        # TemplateView passes the URL's arguments too; `vocabulary` is the same object.
        context = {
            "vocabulary": self.vocabulary,
            "jumps": jumps,
            "letter": self.letter,
            "is_letter_page": self.is_letter_page,
            "OTHER": letters.OTHER,
        }
        return super().get_context_data(**{**context, **kwargs})

    def names_under(self, letter):
        return letters.published_tags(self.vocabulary, letter, self.initials)

    def page_starts(self, letter):
        return letters.page_starts(self.vocabulary, letter, self.initials)


class TagIndexView(TagIndexMixin, TemplateView):
    """/people/: the letter navigation, then every name if there are few, or the first letter's first page.

    The old one-page index's address: links, sitemaps and the masthead still point here.
    """

    def get_context_data(self, **kwargs):
        total = sum(names for names, _ in self.initials.values())
        if total <= INDEX_ON_ONE_PAGE:
            tags = list(letters.published_tags(self.vocabulary))
            size_of = letters.entry_bytes(self.vocabulary)
            if sum(size_of(tag.name, tag.slug) for tag in tags) <= letters.NAMES_BYTES:
                # Few enough to show at once, grouped by letter as the letter pages file them.
                groups = {}
                for tag in tags:
                    groups.setdefault(letters.index_letter(tag.name), []).append(tag)
                if letters.OTHER in groups:  # by the whole name, as on its own page
                    groups[letters.OTHER].sort(key=lambda tag: (tag.name.lower(), tag.pk))
                shown = [(letter, groups[letter]) for letter in letters.LETTERS if letter in groups]
                return super().get_context_data(letters=shown, **kwargs)
        self.letter = next(letter for letter in letters.LETTERS if letter in self.initials)
        starts = self.page_starts(self.letter)
        first_page = self.names_under(self.letter)[: starts[1] if len(starts) > 1 else None]
        return super().get_context_data(
            letters=[(self.letter, first_page)], more_under=len(starts) > 1, **kwargs
        )


class TagLetterView(TagIndexMixin, ListView):
    """/people/a-z/e/: the names under one letter, up to 200 a page (a bad ?page= is a 404)."""

    context_object_name = "tags"
    is_letter_page = True

    def get_queryset(self):
        self.letter = self.kwargs["letter"]
        if self.letter not in self.initials:
            raise Http404(f"No {self.vocabulary} under {self.letter}.")
        return self.names_under(self.letter)

    def paginate_queryset(self, queryset, page_size):
        # Pages are cut where the letter's names fill them (articles/letters.py), and the
        # count is the letter navigation's: no COUNT query of their own.
        paginator = UnevenPaginator(
            queryset,
            starts=self.page_starts(self.letter),
            count=self.initials[self.letter][0],
        )
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(str(error)) from error
        return paginator, page, page.object_list, paginator.num_pages > 1

    def get_paginate_by(self, queryset):
        return letters.NAMES_PER_PAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["letters"] = [(self.letter, context["tags"])]
        context["noindex"] = context["page_obj"].number > 1
        return context


class ArticleDetailView(DetailView):
    """One article. Staff with `view_article` may preview unpublished work; others get a 404 for it."""

    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.for_listing().with_tags().prefetch_related("notes").visible_to(self.request.user)
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object.is_published():
            # A preview: never stored by a browser or a shared cache, never indexed.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Http404:
            # An old slug answers 301 to the article's address; a deleted one 410 Gone.
            response = article_moved_or_gone(request, kwargs["slug"])
            if response is None:
                raise
            return response

    def get_context_data(self, **kwargs):
        # An article page lists nothing but its related stories, which say what they depend on.
        dependencies.lists_nothing()
        remember_body_images(self.object)
        return super().get_context_data(related_articles=related_articles(self.object), **kwargs)


def remember_body_images(article):
    """The body's images (one query) and its rendered figures, kept under the content version.

    As related stories are: any image or article change retires them, so alt text,
    credit and files are never stale, and a warm page neither queries nor renders its figures.
    """
    if not image_ids(article.body) and "<figure" not in article.body:
        return

    def make():
        dependencies.lists_nothing()  # figures show images, not listings
        return body_images(article), str(render_body(article))

    key = "holr:body:" + hashlib.sha1(article.body.encode()).hexdigest()
    images, html = versions.remembered(key, make)
    attach_body_images(article, images, html)


def related_articles(article):
    """The related stories under `article`: one query, then kept until content changes.

    The teasers show no byline, so there are no authors to fetch. The list is kept with
    what it depends on (pagecache/versions.py): the stories it shows, and which stories
    carry each of the article's tags (`tagged:…`, retired when a story with one of them
    is published, unpublished or retagged), not every listing.
    """

    def make():
        dependencies.lists_nothing()
        dependencies.record(
            *(
                tagged_key(vocabulary.model, tag.pk)
                for vocabulary in VOCABULARIES.values()
                for tag in getattr(article, vocabulary.key).all()
            )
        )
        return list(
            Article.objects.published()
            .related_to(article)
            .select_related("section", "lead_image")[:RELATED_ARTICLES]
        )

    return versions.remembered(f"holr:related:{article.pk}", make)
