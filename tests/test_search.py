"""Search: relevance, snippets, pagination, safety of odd input, and an index that follows every edit."""

import random
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Person, Status
from holr.signals import content_changed
from search import backends
from search.documents import plain_text
from search.models import SearchEntry
from search.query import MAX_QUERY_LENGTH, parse
from search.views import highlighted
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    response = client.get(reverse("search:search"), {"q": q, **params})
    assert response.status_code == 200, response.status_code
    return response


def found(client, q, **params):
    return [article.title for article in search(client, q, **params).context["articles"]]


def test_title_and_dek_outrank_the_body_and_tags_count(client):
    """A word in the title or dek counts for more than the same word in the body; tag names are searched."""
    make_article(title="Harbour fees rise", body="<p>Nothing about boats.</p>")
    make_article(title="Market report", body="<p>The harbour was quiet, the harbour master said.</p>")
    make_article(title="Quiet week", dek="The harbour reopens on Monday.")
    make_article(title="Talks in the capital", people=["Xi Jinping"])

    titles = found(client, "harbour")
    assert titles[0] == "Harbour fees rise"
    assert titles[-1] == "Market report"
    assert set(titles) == {"Harbour fees rise", "Market report", "Quiet week"}
    assert found(client, "Jinping") == ["Talks in the capital"]


def test_newest_first_among_equally_relevant_results(client):
    now = timezone.now()
    make_article(title="Tides one", published_at=now - timedelta(days=3))
    make_article(title="Tides two", published_at=now - timedelta(days=1))
    make_article(title="Tides three", published_at=now - timedelta(days=2))
    assert found(client, "tides") == ["Tides two", "Tides three", "Tides one"]


def test_results_show_highlighted_snippets_and_no_markup_from_the_text(client):
    make_article(
        title="Night market",
        body="<p>Stalls sell &lt;script&gt;dumplings&lt;/script&gt; and noodles past midnight.</p>",
    )
    content = search(client, "noodles").content.decode()
    assert "<mark>noodles</mark>" in content
    assert "dumplings" in content
    assert "<script>" not in content


def test_snippet_text_is_escaped_and_only_its_marks_become_html():
    assert highlighted("a < b & \ue000c\ue001 <mark>") == "a &lt; b &amp; <mark>c</mark> &lt;mark&gt;"


def test_stemming_finds_other_forms_of_a_word(client):
    make_article(title="Election", body="<p>Voters were voting all day.</p>")
    assert found(client, "vote") == ["Election"]


def test_quoted_phrase_matches_the_words_together(client):
    make_article(title="Together", body="<p>A state visit to Moscow.</p>")
    make_article(title="Apart", body="<p>The visit was to the state museum in Moscow.</p>")
    assert found(client, '"state visit"') == ["Together"]
    assert set(found(client, "state visit")) == {"Together", "Apart"}


def test_results_paginate_and_a_bad_page_is_404(client):
    for n in range(23):
        make_article(title=f"Glacier report {n}")
    first, second = search(client, "glacier"), search(client, "glacier", page=2)
    assert len(first.context["articles"]) == 20
    assert len(second.context["articles"]) == 3
    assert 'href="?q=glacier&amp;page=2"' in first.content.decode()
    assert client.get(reverse("search:search"), {"q": "glacier", "page": 9}).status_code == 404


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        '"',
        '"unbalanced',
        "((putin",
        "putin)",
        "*",
        "put*",
        "NEAR(putin xi)",
        "putin NEAR xi",
        "AND OR NOT",
        "title:putin",
        "^putin",
        "-putin",
        "!@#$%^&*()",
        "putin\x00xi",
        "\x00",
        "习近平",
        "zürich 🙂",
        "'; DROP TABLE articles_article; --",
        "a" * 5000,
        "word " * 2000,
    ],
)
def test_malformed_queries_get_a_clean_page(client, q):
    make_article(title="Putin and Xi", people=["Vladimir Putin"])
    response = search(client, q)
    assert b"<h1" in response.content
    assert Article.objects.count() == 1


def test_random_punctuation_soup_never_breaks_search(client):
    """A few hundred random queries made of query-syntax characters all get a page."""
    make_article(
        title="Putin and Xi", body="<p>NEAR the Kremlin, a state visit.</p>", people=["Vladimir Putin"]
    )
    alphabet = [
        '"',
        "'",
        "*",
        "(",
        ")",
        "-",
        "+",
        ":",
        "^",
        "{",
        "}",
        "NEAR",
        "AND",
        "OR",
        "NOT",
        " ",
        "putin",
        "xi",
        "\\",
        "%",
        "_",
        "&",
        "|",
        "!",
        "<",
        ">",
        "é",
        "习",
        "\x00",
        ",",
        ";",
    ]
    rng = random.Random(4)
    for _ in range(150):
        q = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        assert client.get(reverse("search:search"), {"q": q}).status_code == 200, repr(q)


@pytest.mark.parametrize("raw", ["%FF%FE", "%ED%A0%80", "%00%00", "%E4%B9%A0%E8%BF"])
def test_undecodable_bytes_in_the_query_get_a_clean_page(client, raw):
    make_article(title="Putin and Xi")
    response = client.get(f"/search/?q={raw}")
    assert response.status_code == 200


def test_huge_queries_are_capped(client):
    make_article(title="Putin and Xi")
    response = search(client, "putin " + "x" * 10_000)
    assert len(response.context["query"].text) == MAX_QUERY_LENGTH
    assert "first 200 characters" in response.content.decode()


def test_empty_query_shows_the_form_without_results(client):
    make_article(title="Anything")
    response = search(client, "")
    assert list(response.context["articles"]) == []
    assert 'id="search-q"' in response.content.decode()


def test_query_parser_keeps_words_and_phrases_only():
    assert parse('putin "state visit" NEAR( x* ) \x00').terms == ("putin", "state visit", "NEAR", "x")
    assert parse('"').terms == ()
    assert parse("Xi’s visit").terms == ("Xi’s", "visit")


def test_unpublished_text_is_never_found(client):
    make_article(title="Draft zeppelin", status=Status.DRAFT)
    make_article(title="Review zeppelin", status=Status.REVIEW)
    make_article(title="Scheduled zeppelin", published_at=timezone.now() + timedelta(hours=2))
    make_article(title="Published zeppelin")
    assert found(client, "zeppelin") == ["Published zeppelin"]
    # Only published articles are indexed at all.
    assert set(SearchEntry.objects.values_list("title", flat=True)) == {
        "Published zeppelin",
        "Scheduled zeppelin",
    }


def test_scheduled_article_appears_at_its_time_without_a_save(client, monkeypatch):
    make_article(title="Embargoed comet", published_at=timezone.now() + timedelta(hours=2))
    assert found(client, "comet") == []
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert found(client, "comet") == ["Embargoed comet"]


def test_index_follows_edits_unpublishing_and_deletion(client):
    article = make_article(title="Old headline about walruses")
    assert found(client, "walruses") == ["Old headline about walruses"]

    article.title = "New headline about narwhals"
    article.save()
    assert found(client, "walruses") == []
    assert found(client, "narwhals") == ["New headline about narwhals"]

    article.status = Status.DRAFT
    article.save()
    assert found(client, "narwhals") == []
    assert not SearchEntry.objects.exists()

    article.status = Status.PUBLISHED
    article.save()
    assert found(client, "narwhals") == ["New headline about narwhals"]

    article.delete()
    assert found(client, "narwhals") == []
    assert not SearchEntry.objects.exists()


def test_index_follows_tags_added_removed_and_renamed(client):
    article = make_article(title="Summit")
    article.people.add("Angela Merkel")
    assert found(client, "Merkel") == ["Summit"]

    article.people.remove("Angela Merkel")
    assert found(client, "Merkel") == []

    article.places.set(["Reykjavik"])
    assert found(client, "Reykjavik") == ["Summit"]
    article.places.clear()
    assert found(client, "Reykjavik") == []

    article.events.add("Arctic Council meeting")
    event = article.events.get()
    event.name = "Arctic Circle Assembly"
    event.save()
    assert found(client, "Council") == []
    assert found(client, "Assembly") == ["Summit"]

    event.delete()
    assert found(client, "Assembly") == []


def test_deleting_tagged_articles_leaves_no_index_rows(client):
    """Their tags go by cascade first; that must not index the articles again."""
    one = make_article(title="Tagged one", people=["Ada Lovelace"], places=["London"])
    make_article(title="Tagged two", people=["Ada Lovelace"], events=["Analytical Engine"])
    make_article(title="Tagged three", people=["Ada Lovelace"])
    one.delete()
    Article.objects.filter(title__in=["Tagged two"]).delete()
    assert list(SearchEntry.objects.values_list("title", flat=True)) == ["Tagged three"]
    Person.objects.get(name="Ada Lovelace").delete()
    assert found(client, "Lovelace") == []
    assert found(client, "Tagged three") == ["Tagged three"]


def test_bulk_changes_reach_the_index_through_content_changed(client):
    article = make_article(title="Quiet lighthouse", status=Status.DRAFT)
    Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    assert found(client, "lighthouse") == []
    content_changed.send(sender=Article)
    assert found(client, "lighthouse") == ["Quiet lighthouse"]


def test_a_tag_merge_reindexes_the_articles_it_retagged(client):
    from articles.vocabularies import VOCABULARIES
    from editorial.tag_merging import merge_tags

    make_article(title="Summit in Moscow", people=["Bladimir Putin"])
    make_article(title="Kremlin statement", people=["Vladimir Putin"])
    make_article(title="Unrelated harbour", people=["Ada Lovelace"])
    keep = Person.objects.get(name="Vladimir Putin")
    merge_tags(VOCABULARIES["people"], keep, [Person.objects.get(name="Bladimir Putin")])
    assert found(client, "Bladimir") == []
    assert sorted(found(client, "Vladimir")) == ["Kremlin statement", "Summit in Moscow"]


def test_rebuild_search_index_command(client, capsys):
    make_article(title="Imported canal")
    make_article(title="Draft canal", status=Status.DRAFT)
    SearchEntry.objects.all().delete()
    assert found(client, "canal") == []
    call_command("rebuild_search_index")
    assert "Indexed 1 published article." in capsys.readouterr().out
    assert found(client, "canal") == ["Imported canal"]


def test_rebuild_search_index_has_help(capsys):
    with pytest.raises(SystemExit):
        call_command("rebuild_search_index", "--help")
    assert "after importing or restoring" in capsys.readouterr().out


def test_plain_text_keeps_words_of_adjacent_blocks_apart():
    assert plain_text("<h2>Heading</h2><p>First&nbsp;para &amp; more</p><p>Second</p>") == (
        "Heading First para & more Second"
    )


def test_search_for_a_name_offers_the_tag_page(client):
    make_article(title="A visit", people=["Vladimir Putin"], places=["Moscow"])
    make_article(title="Secret", status=Status.DRAFT, people=["Vladimir Putinov"])
    content = search(client, "putin").content.decode()
    assert 'href="/people/vladimir-putin/"' in content
    assert "Putinov" not in content  # known only from a draft
    assert 'href="/places/moscow/"' in search(client, "Moscow").content.decode()


def test_search_page_is_noindex_and_reached_from_the_masthead(client):
    make_article(title="Anything")
    home = client.get("/").content.decode()
    masthead = home.split("</header>")[0]
    assert 'action="/search/"' in masthead and 'name="q"' in masthead
    assert '<label for="masthead-q"' in masthead
    page = search(client, "anything").content.decode()
    assert '<meta name="robots" content="noindex, follow">' in page
    assert 'name="robots"' not in home


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "SET LOCAL")


def queries_for(client, q):
    """How many queries read data for one search (not counting transaction control), and the response."""
    client.get(reverse("search:search"), {"q": q})
    with CaptureQueriesContext(connection) as context:
        response = search(client, q)
    reads = [
        query["sql"] for query in context.captured_queries if not query["sql"].startswith(TRANSACTION_CONTROL)
    ]
    return len(reads), response


def test_search_queries_are_fixed_whatever_the_results(client):
    image, section = make_image(), make_section()
    make_article(title="Solo iceberg", authors=[make_author()], people=["Iceberg Watcher"])
    for n in range(30):
        make_article(
            title=f"Crowded fjord {n}",
            lead_image=image,
            section=section,
            authors=[make_author(), make_author()],
            people=[f"Person {n}"],
        )
    # the newest matches, ranked + the page's articles and snippets + their authors + matching tags
    one, response = queries_for(client, "iceberg")
    assert len(response.context["articles"]) == 1
    many, response = queries_for(client, "fjord")
    assert len(response.context["articles"]) == 20
    assert one == many == 4
    none, _ = queries_for(client, "nothingmatches")
    assert none <= 4
    empty, _ = queries_for(client, "")
    assert empty == 0


def test_the_database_has_its_full_text_index():
    """PostgreSQL: a GIN index over the tsvector; SQLite: the FTS5 table and the triggers that fill it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_document_gin'")
            assert "USING gin (document)" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'search_fts%' ORDER BY name")
            names = {name for kind, name in cursor.fetchall() if kind in {"table", "trigger"}}
            assert {"search_fts", "search_fts_insert", "search_fts_delete", "search_fts_update"} <= names


def test_only_the_newest_matches_are_ranked_and_the_page_says_there_are_more(client, monkeypatch):
    """A search ranks its CANDIDATES newest matches; an older, better match beyond them is not shown."""
    monkeypatch.setattr(backends, "CANDIDATES", 3)
    now = timezone.now()
    make_article(title="Comet over the harbour", published_at=now - timedelta(days=9))
    for n in range(4):
        make_article(
            title=f"Night {n}", body="<p>A comet was seen.</p>", published_at=now - timedelta(days=n)
        )
    response = search(client, "comet")
    assert [a.title for a in response.context["articles"]] == ["Night 0", "Night 1", "Night 2"]
    assert response.context["paginator"].count == 3
    assert (
        "More than 3 articles found; the 3 newest are shown, the most relevant first"
        in response.content.decode()
    )

    monkeypatch.setattr(backends, "CANDIDATES", 5)
    response = search(client, "comet")
    assert found(client, "comet") == ["Comet over the harbour", "Night 0", "Night 1", "Night 2", "Night 3"]
    assert "5 articles found." in response.content.decode()
    assert "More than" not in response.content.decode()


def test_the_newest_matches_are_ranked_by_relevance_across_pages(client, monkeypatch):
    """Pages follow one ranking of the candidates: a title match on page 1, then the body matches, newest first."""
    monkeypatch.setattr(backends, "CANDIDATES", 25)
    now = timezone.now()
    for n in range(30):
        make_article(
            title=f"Report {n}", body="<p>The glacier moved.</p>", published_at=now - timedelta(hours=n)
        )
    make_article(title="Glacier retreats", published_at=now - timedelta(hours=3, minutes=30))
    first, second = search(client, "glacier"), search(client, "glacier", page=2)
    assert [a.title for a in first.context["articles"]][:2] == ["Glacier retreats", "Report 0"]
    assert [a.title for a in second.context["articles"]] == [f"Report {n}" for n in range(19, 24)]
    assert first.context["paginator"].num_pages == 2
    assert client.get(reverse("search:search"), {"q": "glacier", "page": 3}).status_code == 404


def test_a_snippet_shows_the_passage_where_a_long_body_mentions_the_term(client):
    filler = " ".join(f"<p>Paragraph {n} is about the weather and the tides.</p>" for n in range(120))
    make_article(title="Long read", body=f"{filler}<p>At the end the walrus appears.</p>{filler}")
    content = search(client, "walrus").content.decode()
    assert "<mark>walrus</mark> appears" in content


def test_an_article_found_by_its_tags_alone_shows_the_opening_of_its_body(client):
    make_article(title="Summit", body="<p>Leaders met on Tuesday.</p>", people=["Angela Merkel"])
    content = search(client, "Merkel").content.decode()
    assert '<p class="search-result__snippet">Leaders met on Tuesday.</p>' in content


def test_snippets_are_made_for_the_shown_page_only(client):
    """The query that makes snippets reads the page's 20 articles, not every match."""
    for n in range(25):
        make_article(title=f"Fjord {n}", body="<p>The fjord froze.</p>")
    with CaptureQueriesContext(connection) as context:
        response = search(client, "fjord")
    shown = {article.pk for article in response.context["articles"]}
    snippet_queries = [
        q["sql"] for q in context.captured_queries if "ts_headline" in q["sql"] or "snippet(" in q["sql"]
    ]
    assert len(snippet_queries) == 1
    (ids,) = re.findall(r'\."?id"? IN \(([\d, ]+)\)', snippet_queries[0])
    assert len(shown) == 20
    assert {int(pk) for pk in ids.split(",")} == shown


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's parallel workers")
def test_searches_and_suggestions_run_without_parallel_workers_in_one_transaction(client):
    """The planner misjudges a name's matches and would start workers that cost more than the walk."""
    make_article(title="Putin and Xi", people=["Vladimir Putin"])
    client.get(reverse("search:search"), {"q": "putin"})
    with CaptureQueriesContext(connection) as context:
        search(client, "putin")
    sql = [query["sql"] for query in context.captured_queries]
    assert sql.count("SET LOCAL max_parallel_workers_per_gather = 0") == 1
    setting = sql.index("SET LOCAL max_parallel_workers_per_gather = 0")
    ranking = next(n for n, text in enumerate(sql) if "ts_rank" in text)
    suggesting = next(n for n, text in enumerate(sql) if "articles_person" in text)
    released = next(n for n, text in enumerate(sql) if n > setting and text.startswith("RELEASE SAVEPOINT"))
    assert setting < ranking < released and setting < suggesting < released
