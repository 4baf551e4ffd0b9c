"""One search interface, two engines: PostgreSQL full-text search or SQLite FTS5, chosen by the database.

Each backend takes a queryset of articles (always `Article.objects.published()`, so a
scheduled article shows up at its time and nothing unpublished ever does) and parsed
terms, and returns that queryset filtered to matches, annotated with `search_rank`
(higher is better) and a `search_snippet` whose highlights are MARK_START/MARK_END.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import BooleanField, F, FloatField, TextField
from django.db.models.expressions import RawSQL

from .models import SearchEntry
from .query import MARK_END, MARK_START

SNIPPET_WORDS = 30


class PostgresSearch:
    """tsvector weighted A (title), B (dek, tag names), D (body), GIN-indexed; ts_rank and ts_headline."""

    config = "english"

    def entries_written(self, pks):
        SearchEntry.objects.filter(article_id__in=pks).update(
            document=SearchVector("title", weight="A", config=self.config)
            + SearchVector("dek", weight="B", config=self.config)
            + SearchVector("tags", weight="B", config=self.config)
            + SearchVector("body", weight="D", config=self.config)
        )

    def search(self, articles, terms):
        # websearch syntax reads a quoted phrase as a phrase and never raises on input;
        # the terms are words and phrases only (query.py), so no other syntax gets in.
        text = " ".join(f'"{term}"' for term in terms)
        query = SearchQuery(text, search_type="websearch", config=self.config)
        return articles.filter(search_entry__document=query).annotate(
            search_rank=SearchRank(F("search_entry__document"), query),
            search_snippet=SearchHeadline(
                "search_entry__body",
                query,
                config=self.config,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )


class SQLiteSearch:
    """FTS5 with the porter stemmer; bm25 weights title 10, dek 5, tags 5, body 1."""

    def entries_written(self, pks):
        pass  # triggers on search_searchentry keep search_fts in step (migration 0001)

    def search(self, articles, terms):
        # Every term is a quoted FTS5 string, so operators (NEAR, AND, *, ^, :) are words.
        match = " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
        return (
            # The IN subquery runs the full-text query once and lets SQLite start from its
            # matches; the join gives bm25() and snippet() their row of search_fts.
            articles.filter(pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match]))
            .filter(search_entry__fts__isnull=False)
            .filter(RawSQL('"search_fts" MATCH %s', [match], output_field=BooleanField()))
            .annotate(
                # bm25 is lower for better matches; negate it so both backends sort descending.
                search_rank=RawSQL('-bm25("search_fts", 10.0, 5.0, 5.0, 1.0)', [], output_field=FloatField()),
                search_snippet=RawSQL(
                    "snippet(\"search_fts\", 3, %s, %s, ' … ', %s)",
                    [MARK_START, MARK_END, SNIPPET_WORDS],
                    output_field=TextField(),
                ),
            )
        )


BACKENDS = {"postgresql": PostgresSearch, "sqlite": SQLiteSearch}


def get_backend():
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"Search supports PostgreSQL and SQLite, not {connection.vendor}."
        ) from None
