"""The A–Z indexes, a page per letter: /people/ and /people/a-z/<letter>/ (issue 12)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import views
from articles.letters import index_letter
from articles.models import Person, Status, TaggedPerson
from holr.signals import content_changed
from tests.builders import make_article

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 100_000  # bytes of HTML
ENTRY = re.compile(r'<li><a href="(?P<href>[^"]+)">(?P<name>[^<]+)</a> <span class="count">(?P<count>\d+)<')


def letter_url(letter, page=None):
    url = reverse("articles:tag-letter", kwargs={"vocabulary": "people", "letter": letter})
    return f"{url}?page={page}" if page else url


def names_on(response):
    return [m["name"] for m in ENTRY.finditer(response.content.decode())]


def bulk_people(names, slugs=None):
    """People named `names` on one new article, written in bulk as populate does (no signals, so say so)."""
    article = make_article()
    slugs = slugs or [f"bulk-{n}" for n in range(len(names))]
    people = Person.objects.bulk_create(
        Person(name=name, slug=slug) for name, slug in zip(names, slugs, strict=True)
    )
    TaggedPerson.objects.bulk_create(TaggedPerson(tag=person, content_object=article) for person in people)
    content_changed.send(sender=Person)
    return people


def warm_queries(client, url):
    """Queries of a request once the content-derived cache (letter counts, page starts, masthead) is warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "name, letter",
    [
        ("Angela Merkel", "A"),
        ("antónio guterres", "A"),
        ("Émile Zola", "E"),
        ("Ørsted", "O"),
        ("Łódź", "L"),
        ("Æbelø", "A"),
        ("ßeta", "S"),
        ("İstanbul", "I"),
        ("Ðorđe Balašević", "D"),
        ("Þórunn", "T"),
        ("ﬁnn", "F"),  # a ligature folds to its letters
        ("习近平", "#"),
        ("Αλέξης Τσίπρας", "#"),
        ("1989 protests", "#"),
        ("'t Hooft", "#"),
    ],
)
def test_a_name_files_under_its_first_letter_with_accents_folded(name, letter):
    assert index_letter(name) == letter


def test_a_letters_page_lists_the_names_under_it_and_no_other(client):
    make_article(people=["Émile Zola", "Ellen Johnson Sirleaf", "ernesto", "Angela Merkel", "Zelensky"])

    response = client.get(letter_url("E"))

    assert response.status_code == 200
    # By the name after its first letter, so "Émile" files between "Ellen" and "ernesto".
    assert names_on(response) == ["Ellen Johnson Sirleaf", "Émile Zola", "ernesto"]
    content = response.content.decode()
    assert "<title>People A–Z: E · " in content
    assert '<h2 id="letter-E">E</h2>' in content


def test_names_starting_with_a_digit_sign_or_another_script_are_on_the_other_page(client):
    make_article(people=["习近平", "1989 protests", "Αλέξης Τσίπρας", "#MeToo", "Xi Jinping"])

    response = client.get(letter_url("#"))

    assert response.request["PATH_INFO"] == "/people/a-z/other/"
    assert sorted(names_on(response)) == sorted(["习近平", "1989 protests", "Αλέξης Τσίπρας", "#MeToo"])
    assert '<h2 id="letter-other">Other</h2>' in response.content.decode()


@pytest.mark.parametrize("path", ["/people/a-z/q/", "/people/a-z/aa/", "/people/a-z/E/", "/people/a-z/1/"])
def test_an_unknown_letter_or_one_without_names_is_404(client, path):
    make_article(people=["Émile Zola"])
    assert client.get("/people/a-z/e/").status_code == 200
    assert client.get(path).status_code == 404


def test_a_page_past_a_letters_last_is_404(client):
    make_article(people=["Émile Zola"])
    assert client.get(letter_url("E", page=2)).status_code == 404
    assert client.get(letter_url("E", page="x")).status_code == 404


def test_only_tags_on_published_articles_are_filed(client):
    """Draft, review and scheduled articles' people appear under no letter and in no count."""
    make_article(people=["Vladimir Putin", "Sergei Lavrov"])
    for fields in (
        {"status": Status.DRAFT},
        {"status": Status.REVIEW},
        {"published_at": timezone.now() + timedelta(days=1)},
    ):
        make_article(people=["Secret Source", "Sergei Lavrov", "Embargoed Envoy"], **fields)

    assert names_on(client.get(letter_url("S"))) == ["Sergei Lavrov"]
    assert client.get(letter_url("E")).status_code == 404
    index = client.get(reverse("articles:tag-index", kwargs={"vocabulary": "people"})).content.decode()
    assert '<a href="/people/a-z/s/">S <span class="letter-jumps__count">1<' in index
    assert "Secret Source" not in index and "/people/a-z/e/" not in index


def test_letter_navigation_marks_the_current_letter_and_leaves_empty_letters_unlinked(client):
    make_article(people=["Angela Merkel", "Xi Jinping", "Ximena Sariñana"])

    content = client.get(letter_url("X")).content.decode()

    nav = content.split('<nav class="letter-jumps" aria-label="People by letter">', 1)[1].split("</nav>", 1)[
        0
    ]
    assert '<a href="/people/a-z/x/" aria-current="page">X <span class="letter-jumps__count">2<' in nav
    assert nav.count("aria-current") == 1
    assert '<a href="/people/a-z/a/">A ' in nav
    assert '<span class="letter-jumps__empty">B</span>' in nav
    assert "/people/a-z/b/" not in nav
    # The index itself is no letter's page: no letter is marked current there.
    assert (
        "aria-current"
        not in client.get("/people/").content.decode().split('class="letter-jumps"')[1].split("</nav>")[0]
    )


def test_a_tag_slugged_like_a_letter_keeps_its_own_address(client):
    """Tag pages are one segment under the vocabulary, letter pages two: "a", "other" and "a-z" stay tags."""
    make_article(title="About A", people=["A", "Other", "A-Z"])
    assert [tag.get_absolute_url() for tag in Person.objects.order_by("name")] == [
        "/people/a/",
        "/people/a-z/",
        "/people/other/",
    ]
    for url in ("/people/a/", "/people/a-z/", "/people/other/"):
        response = client.get(url)
        assert response.status_code == 200 and "About A" in response.content.decode(), url
    assert names_on(client.get("/people/a-z/a/")) == ["A", "A-Z"]
    assert names_on(client.get("/people/a-z/o/")) == ["Other"]
    assert client.get("/people/a-z/feed/").status_code == 200  # the tag A-Z's feed


def test_a_small_vocabulary_shows_every_name_on_the_index(client):
    make_article(people=["Xi Jinping", "Angela Merkel", "习近平"])
    response = client.get("/people/")
    assert [letter for letter, _ in response.context["letters"]] == ["A", "X", "#"]
    assert names_on(response) == ["Angela Merkel", "Xi Jinping", "习近平"]
    assert "Every name under" not in response.content.decode()


def test_a_large_vocabulary_opens_on_its_first_letter_and_links_to_its_page(client, monkeypatch):
    monkeypatch.setattr(views, "INDEX_ON_ONE_PAGE", 3)
    bulk_people([f"Bernard {n:03}" for n in range(250)] + ["Xi Jinping", "Zelensky"])

    response = client.get("/people/")

    assert names_on(response) == [f"Bernard {n:03}" for n in range(200)]
    assert response.context["letters"][0][0] == "B"
    content = response.content.decode()
    assert '<a href="/people/a-z/b/">Every name under B →</a>' in content
    assert '<link rel="canonical" href="http://127.0.0.1:8000/people/">' in content
    assert "<title>People A–Z · " in content


def test_ten_thousand_names_under_one_letter_come_in_pages_under_100_kb(client):
    """Every name once, in order, over pages of at most 200 names and 100 KB, each in one query once warm."""
    names = [f"Kim {n:05} Kowalczyk-Nakamura" for n in range(10_000)]
    bulk_people(names + ["Angela Merkel", "Zelensky"])

    first = client.get(letter_url("K"))
    pages = first.context["paginator"].num_pages
    assert pages == 50
    seen = []
    for number in range(1, pages + 1):
        response = client.get(letter_url("K", page=number))
        assert len(response.content) <= PAGE_LIMIT, number
        seen += names_on(response)
    assert seen == names
    assert client.get(letter_url("K", page=pages + 1)).status_code == 404
    assert '<meta name="robots" content="noindex, follow">' in client.get(letter_url("K", 2)).content.decode()
    assert len(client.get("/people/").content) <= PAGE_LIMIT
    assert warm_queries(client, letter_url("K", page=37)) == 1
    assert warm_queries(client, "/people/") == 1


def test_the_longest_names_still_fit_a_page_in_100_kb(client):
    """A page holds fewer names when they are long: 100 characters of 习 or of é make a long address too."""
    longest = Person._meta.get_field("name").max_length
    names = [f"{n:03}" + "习" * (longest - 3) for n in range(300)]
    names += [f"L{n:03}" + "é&" * ((longest - 4) // 2) for n in range(300)]
    bulk_people(names, slugs=[name.lower().replace("&", "")[:longest] for name in names])
    assert len(Person.objects.get(name=names[0]).get_absolute_url()) > 800

    for letter in ("#", "L"):
        response = client.get(letter_url(letter))
        pages = response.context["paginator"].num_pages
        assert pages > 1
        seen = []
        for number in range(1, pages + 1):
            response = client.get(letter_url(letter, page=number))
            assert len(response.content) <= PAGE_LIMIT, (letter, number)
            seen += names_on(response)
        assert len(seen) == 300


def test_the_other_page_sorts_by_the_whole_name(client):
    make_article(people=["2000s", "1989 protests", "#MeToo", "Xi Jinping"])
    expected = ["#MeToo", "1989 protests", "2000s"]
    assert names_on(client.get(letter_url("#"))) == expected
    assert names_on(client.get("/people/")) == ["Xi Jinping", *expected]


def test_names_starting_with_thousands_of_different_characters_all_reach_the_other_page(client):
    """Other scripts start names with thousands of characters; every such name is on the Other page."""
    names = [chr(0x4E00 + n) + "先生" for n in range(1500)]
    bulk_people([*names, "Émile Zola"])
    seen = []
    for number in range(1, client.get(letter_url("#")).context["paginator"].num_pages + 1):
        seen += names_on(client.get(letter_url("#", page=number)))
    assert sorted(seen) == sorted(names)
