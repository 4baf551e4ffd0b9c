from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.generic import ListView

from articles.models import Article

from .backends import search, serially
from .query import MARK_END, MARK_START, parse
from .suggestions import matching_tags

RESULTS_PER_PAGE = 20


def highlighted(snippet):
    """A snippet as HTML: its text escaped, its highlight marks turned into <mark>."""
    html = escape(snippet or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)


class SearchView(ListView):
    """/search/?q=: the newest 500 matching published articles by relevance, newest first among equals, 20 a page.

    The pages are pages of the ranked ids (so no COUNT query); only a page's 20 articles
    are read, with their snippets.
    """

    template_name = "search/search.html"
    context_object_name = "articles"
    paginate_by = RESULTS_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.query = parse(request.GET.get("q", ""))
        self.results = None
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.query:
            self.tag_suggestions = []
            return []
        with serially():  # one transaction for both, so one SET LOCAL
            self.results = search(Article.objects.published().for_listing(), self.query.terms)
            self.tag_suggestions = matching_tags(self.query.text)
        return self.results.ids

    def paginate_queryset(self, ids, page_size):
        paginator, page, ids, is_paginated = super().paginate_queryset(ids, page_size)
        if self.results:
            page.object_list = self.results.page(list(ids))
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query,
            has_more_results=bool(self.results and self.results.has_more),
            tag_suggestions=self.tag_suggestions,
            noindex=True,
            **kwargs,
        )
        for article in context["articles"]:
            article.search_snippet = highlighted(article.search_snippet)
        return context
