from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.generic import ListView

from articles.models import Article

from .backends import get_backend
from .query import MARK_END, MARK_START, parse
from .suggestions import matching_tags

RESULTS_PER_PAGE = 20


def highlighted(snippet):
    """A snippet as HTML: its text escaped, its highlight marks turned into <mark>."""
    html = escape(snippet or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)


class SearchView(ListView):
    """/search/?q=: published articles by relevance, newest first among equals, 20 a page."""

    template_name = "search/search.html"
    context_object_name = "articles"
    paginate_by = RESULTS_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.query = parse(request.GET.get("q", ""))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.query:
            return Article.objects.none()
        articles = get_backend().search(Article.objects.published(), self.query.terms)
        return articles.for_listing().order_by("-search_rank", "-published_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query,
            tag_suggestions=matching_tags(self.query.text) if self.query else [],
            noindex=True,
            **kwargs,
        )
        for article in context["articles"]:
            article.search_snippet = highlighted(article.search_snippet)
        return context
