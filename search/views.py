from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.generic import ListView

from articles.models import Article

from .backends import search
from .query import MARK_END, MARK_START, parse
from .suggestions import matching_tags

RESULTS_PER_PAGE = 20


def highlighted(snippet):
    """A snippet as HTML: its text escaped, its highlight marks turned into <mark>."""
    html = escape(snippet or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)


class ResultsPaginator(Paginator):
    """Pages of search results, whose number the search already knows (no COUNT query)."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


class SearchView(ListView):
    """/search/?q=: the newest 500 matching published articles by relevance, newest first among equals, 20 a page."""

    template_name = "search/search.html"
    context_object_name = "articles"
    paginate_by = RESULTS_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.query = parse(request.GET.get("q", ""))
        self.results = None
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.query:
            return Article.objects.none()
        self.results = search(Article.objects.published(), self.query.terms)
        return self.results.articles.for_listing()

    def get_paginator(self, queryset, per_page, **kwargs):
        count = self.results.count if self.results else 0
        return ResultsPaginator(queryset, per_page, count=count, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query,
            has_more_results=bool(self.results and self.results.has_more),
            tag_suggestions=matching_tags(self.query.text) if self.query else [],
            noindex=True,
            **kwargs,
        )
        for article in context["articles"]:
            article.search_snippet = highlighted(article.search_snippet)
        return context
