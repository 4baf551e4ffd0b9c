"""One search interface, two engines: PostgreSQL full-text search or SQLite FTS5, chosen by the database.

`search()` is what views call. It takes a queryset of articles (always
`Article.objects.published()`, so a scheduled article shows up at its time and nothing
unpublished ever does) and parsed terms, finds the newest CANDIDATES matches and ranks
only those (higher `search_rank` is better): on PostgreSQL the database walks the
publication-time index and tests each article's vector until it has them, or reads the
GIN index when matches are few, so a name carried by 40,000 articles costs what one
carried by 500 does (docs/performance.md, docs/readers.md). A page of results then
reads just its rows, each with a `search_snippet` whose highlights are MARK_START/MARK_END.
"""

from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import BooleanField, F, FloatField, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, Greatest, Lower, NullIf, StrIndex, Substr

from .models import SearchEntry
from .query import MARK_END, MARK_START

SNIPPET_WORDS = 30
# PostgreSQL's ts_headline parses and stems all the text it is given, about 1 ms for an
# 800-word body: it is given this many characters (about 200 words) around where the
# query's longest term first starts a word, SNIPPET_LEAD of them before it (more than a
# 30-word fragment reaches back).
SNIPPET_WINDOW = 1200
SNIPPET_LEAD = 240
# How many matches are ranked, the newest first: 25 pages of 20. With more, the page
# says "more than 500" (templates/search/search.html) and the API's pages end here.
CANDIDATES = 500

_serial = ContextVar("search_serial", default=False)


@dataclass(frozen=True)
class Results:
    articles: QuerySet  # what was searched, e.g. Article.objects.published().for_listing()
    terms: tuple
    ids: list  # the ranked matches, best first, newest first among equals
    has_more: bool  # more articles matched than the CANDIDATES ranked

    def page(self, ids):
        """The articles of `ids` (a slice of self.ids), in that order, each with its search_snippet."""
        rows = get_backend().with_snippets(self.articles.filter(pk__in=ids), self.terms)
        by_pk = {article.pk: article for article in rows}
        return [by_pk[pk] for pk in ids if pk in by_pk]


def search(articles, terms):
    """Results for `terms` among `articles`: the newest CANDIDATES matches, best first.

    One query: its inner part finds them newest first (one more than asked, to know
    whether there are more), the outer part ranks just those, and Python orders them.
    `Results.page()` then reads one page.
    """
    candidates = CANDIDATES
    backend = get_backend()
    newest = backend.matching(articles, terms).order_by("-published_at", "-id").values("pk")[: candidates + 1]
    with serially():
        rows = list(
            backend.ranked(articles.filter(pk__in=newest), terms).values_list(
                "published_at", "pk", "search_rank"
            )
        )
    rows.sort(reverse=True)  # newest first
    has_more = len(rows) > candidates
    ranked = sorted(rows[:candidates], key=lambda row: (row[2], row[0], row[1]), reverse=True)
    return Results(articles, tuple(terms), [pk for _, pk, _ in ranked], has_more=has_more)


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

    @contextmanager
    def serial(self):
        """No parallel workers for the queries inside: they finish sooner than workers start.

        The planner underestimates how many articles carry every part of a name (it takes
        "Min", "jun" and "Grant" as independent), so it expects a long walk and plans two
        workers, whose start-up alone took 30-80 ms on a busy 2-core machine; it does the
        same for the scan of 20,000 tag names behind the suggestions (docs/performance.md).
        """
        if _serial.get():  # already inside such a block: the setting holds to its end
            yield
            return
        token = _serial.set(True)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
                yield
        finally:
            _serial.reset(token)

    def query(self, terms):
        # websearch syntax reads a quoted phrase as a phrase and never raises on input;
        # the terms are words and phrases only (query.py), so no other syntax gets in.
        text = " ".join(f'"{term}"' for term in terms)
        return SearchQuery(text, search_type="websearch", config=self.config)

    def matching(self, articles, terms):
        return articles.filter(search_entry__document=self.query(terms))

    def ranked(self, articles, terms):
        """These articles (matches) with their search_rank."""
        return articles.annotate(search_rank=SearchRank(F("search_entry__document"), self.query(terms)))

    def with_snippets(self, articles, terms):
        return articles.annotate(
            search_snippet=SearchHeadline(
                self.snippet_text(terms),
                self.query(terms),
                config=self.config,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )

    def snippet_text(self, terms):
        """The part of the body to make the snippet from: around the longest term, else the opening.

        The term is looked for as typed, at the start of a word ("vote" is found in
        "voters", "study" is not in "studies"); an article found by its title or tags
        alone, or by another form of the word, gets the opening of its body.
        """
        body = F("search_entry__body")
        term = max(terms, key=len).lower()
        found_at = NullIf(StrIndex(Concat(Value(" "), Lower(body)), Value(f" {term}")), Value(0))
        start = Coalesce(Greatest(found_at - SNIPPET_LEAD, Value(1)), Value(1))
        return Substr(body, start, SNIPPET_WINDOW)


class SQLiteSearch:
    """FTS5 with the porter stemmer; bm25 weights title 10, dek 5, tags 5, body 1."""

    def entries_written(self, pks):
        pass  # triggers on search_searchentry keep search_fts in step (migration 0001)

    def serial(self):
        return nullcontext()  # SQLite runs every query in one thread

    def match(self, terms):
        # Every term is a quoted FTS5 string, so operators (NEAR, AND, *, ^, :) are words.
        return " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)

    def matching(self, articles, terms):
        # The IN subquery runs the full-text query once and lets SQLite start from its matches.
        return articles.filter(
            pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [self.match(terms)])
        )

    def matches(self, articles, terms):
        # The join gives bm25() and snippet() their row of search_fts, which MATCH needs.
        return articles.filter(search_entry__fts__isnull=False).filter(
            RawSQL('"search_fts" MATCH %s', [self.match(terms)], output_field=BooleanField())
        )

    def ranked(self, articles, terms):
        """These articles (matches) with their search_rank."""
        return self.matches(articles, terms).annotate(
            # bm25 is lower for better matches; negate it so both backends sort descending.
            search_rank=RawSQL('-bm25("search_fts", 10.0, 5.0, 5.0, 1.0)', [], output_field=FloatField()),
        )

    def with_snippets(self, articles, terms):
        return self.matches(articles, terms).annotate(
            search_snippet=RawSQL(
                "snippet(\"search_fts\", 3, %s, %s, ' … ', %s)",
                [MARK_START, MARK_END, SNIPPET_WORDS],
                output_field=TextField(),
            ),
        )


def serially():
    """A block whose queries run without parallel workers (on PostgreSQL; SQLite has none)."""
    return get_backend().serial()


BACKENDS = {"postgresql": PostgresSearch, "sqlite": SQLiteSearch}


def get_backend():
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"Search supports PostgreSQL and SQLite, not {connection.vendor}."
        ) from None
