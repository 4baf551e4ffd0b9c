from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Person, Status
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


def hidden_articles():
    """One of each kind of article a reader must never see."""
    return [
        make_article(title="Draft story", status=Status.DRAFT, people=["Secret Source"]),
        make_article(title="Review story", status=Status.REVIEW, people=["Secret Source"]),
        make_article(
            title="Scheduled story",
            published_at=timezone.now() + timedelta(days=1),
            people=["Secret Source"],
            places=["Embargo City"],
        ),
    ]


def queries_for(client, url):
    """Queries for one request in the steady state: the masthead's sections already cached."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# The home page


def test_home_shows_the_lead_story_and_the_latest(client):
    section = make_section(name="World")
    author = make_author(name="Mira Patel")
    older = make_article(title="Older story", published_at=timezone.now() - timedelta(days=2))
    lead = make_article(
        title="Putin hosts Xi in Moscow",
        dek="A state visit days after the ICC warrant.",
        section=section,
        authors=[author],
        lead_image=make_image(),
    )

    response = client.get(reverse("articles:home"))

    assert response.status_code == 200
    assert list(response.context["articles"]) == [lead, older]
    content = response.content.decode()
    assert content.index("Putin hosts Xi in Moscow") < content.index("Older story")
    assert 'class="teaser teaser--lead"' in content
    assert "A state visit days after the ICC warrant." in content
    assert "Mira Patel" in content
    assert "<picture" in content


def test_home_paginates_twenty_a_page(client):
    for n in range(45):
        make_article(title=f"Story {n}", published_at=timezone.now() - timedelta(minutes=n + 1))

    first = client.get(reverse("articles:home"))
    third = client.get(reverse("articles:home"), {"page": 3})

    assert len(first.context["articles"]) == 20
    assert len(third.context["articles"]) == 5
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/?page=3">' in third.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "2", "999999999999999999999", "1.5", "%00"])
def test_bad_page_numbers_are_404(client, page):
    """A non-number, zero, negative or past-the-end page is a 404, never a 500."""
    make_article(people=["Vladimir Putin"])
    for url in (
        reverse("articles:home"),
        reverse("articles:tag", kwargs={"vocabulary": "people", "slug": "vladimir-putin"}),
        reverse("articles:author", kwargs={"slug": make_author(slug="writer").slug}),
        reverse("articles:section", kwargs={"slug": make_section(slug="desk").slug}),
    ):
        assert client.get(url, {"page": page}).status_code == 404, url


def test_empty_page_parameter_means_the_first_page(client):
    make_article(title="Only story")
    response = client.get(reverse("articles:home"), {"page": ""})
    assert response.status_code == 200
    assert "Only story" in response.content.decode()


def test_empty_site_has_a_friendly_home(client):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    assert "Nothing has been published yet." in response.content.decode()


# The article page


def test_article_page_shows_everything_a_reader_needs(client):
    section = make_section(name="World", slug="world")
    authors = [make_author(name="Mira Patel"), make_author(name="Jonas Berg")]
    image = make_image(alt="Xi and Putin at the Kremlin", credit="Reuters Institute Digital News Report")
    article = make_article(
        title="Putin hosts Xi in Moscow",
        dek="A state visit days after the ICC warrant.",
        body="<p>" + "word " * 500 + "</p><h2>Talks</h2>",
        section=section,
        authors=authors,
        lead_image=image,
        caption="The two leaders before their talks.",
        people=["Vladimir Putin", "Xi Jinping"],
        places=["Moscow"],
        events=["Xi's 2023 state visit to Moscow"],
    )

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert '<h1 class="article__title">Putin hosts Xi in Moscow</h1>' in content
    assert "A state visit days after the ICC warrant." in content
    assert ">Mira Patel</a> and <a" in content and ">Jonas Berg</a>" in content
    # To the second: HTML allows at most three fraction digits (issue 13, defect 6).
    assert f'datetime="{timezone.localtime(article.published_at).isoformat(timespec="seconds")}"' in content
    assert "3 min read" in content
    assert "The two leaders before their talks." in content
    assert "Reuters Institute Digital News Report" in content
    assert 'alt="Xi and Putin at the Kremlin"' in content
    assert "<h2>Talks</h2>" in content
    for heading, name, url in (
        ("People", "Vladimir Putin", "/people/vladimir-putin/"),
        ("Places", "Moscow", "/places/moscow/"),
        ("Events", "Xi&#x27;s 2023 state visit to Moscow", "/events/xis-2023-state-visit-to-moscow/"),
    ):
        assert f">{heading}</h2>" in content
        assert f'<a href="{url}">{name}</a>' in content
    assert 'Filed in <a href="/sections/world/">World</a>' in content
    assert '<meta name="description" content="A state visit days after the ICC warrant.">' in content
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{article.get_absolute_url()}">' in content
    assert "Cache-Control" not in response or "no-store" not in response["Cache-Control"]


def test_byline_falls_back_to_the_site_name(client):
    article = make_article(title="Unsigned")
    assert "By HOLR Magazine" in client.get(article.get_absolute_url()).content.decode()


def test_byline_keeps_the_editors_author_order(client):
    zoe, adam = make_author(name="Zoe Zed"), make_author(name="Adam Aa")
    article = make_article(authors=[zoe, adam])
    content = client.get(article.get_absolute_url()).content.decode()
    assert content.index("Zoe Zed") < content.index("Adam Aa")


def test_updated_time_shows_only_for_later_edits(client):
    fresh = make_article(published_at=timezone.now())
    edited = make_article(published_at=timezone.now() - timedelta(days=2))
    assert "Updated" not in client.get(fresh.get_absolute_url()).content.decode()
    assert "Updated" in client.get(edited.get_absolute_url()).content.decode()


# Visibility


@pytest.mark.parametrize("kind", ["draft", "review", "scheduled"])
def test_unpublished_articles_are_404_to_readers(client, kind):
    article = {a.title.split()[0].lower(): a for a in hidden_articles()}[kind]
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unpublished_work_is_absent_from_every_listing_and_count(client):
    """Drafts, review copies and scheduled articles appear on no page, index or count."""
    make_section(name="World", slug="world")
    author = make_author(name="Mira Patel", slug="mira-patel")
    make_article(title="Visible story", people=["Vladimir Putin"], places=["Moscow"], authors=[author])
    for article in hidden_articles():
        article.people.add("Vladimir Putin")
        article.places.add("Moscow")
        article.authors.add(author)

    pages = {
        reverse("articles:home"): "Visible story",
        reverse("articles:tag-index", kwargs={"vocabulary": "people"}): "Vladimir Putin",
        reverse("articles:tag-index", kwargs={"vocabulary": "places"}): "Moscow",
        reverse("articles:tag", kwargs={"vocabulary": "people", "slug": "vladimir-putin"}): "Visible story",
        reverse("articles:tag", kwargs={"vocabulary": "places", "slug": "moscow"}): "Visible story",
        reverse("articles:author", kwargs={"slug": "mira-patel"}): "Visible story",
    }
    for url, expected in pages.items():
        content = client.get(url).content.decode()
        assert expected in content, url
        for title in ("Draft story", "Review story", "Scheduled story", "Secret Source", "Embargo City"):
            assert title not in content, (url, title)

    index = client.get(reverse("articles:tag-index", kwargs={"vocabulary": "people"}))
    assert [(tag.name, tag.article_count) for _, tags in index.context["letters"] for tag in tags] == [
        ("Vladimir Putin", 1)
    ]
    tag_page = client.get(reverse("articles:tag", kwargs={"vocabulary": "people", "slug": "vladimir-putin"}))
    assert tag_page.context["paginator"].count == 1


def test_tag_known_only_from_unpublished_work_is_404(client):
    """A tag page would reveal an embargoed story's subject; until it is published the tag does not exist for readers."""
    hidden_articles()
    assert Person.objects.filter(name="Secret Source").exists()
    assert (
        client.get(
            reverse("articles:tag", kwargs={"vocabulary": "people", "slug": "secret-source"})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("articles:tag", kwargs={"vocabulary": "places", "slug": "embargo-city"})
        ).status_code
        == 404
    )


def test_author_with_only_unpublished_work_is_404(client):
    author = make_author(slug="new-hire")
    make_article(status=Status.DRAFT, authors=[author])
    assert client.get(reverse("articles:author", kwargs={"slug": "new-hire"})).status_code == 404


def test_staff_preview_an_unpublished_article_with_a_banner_and_no_store(client, admin_user):
    article = make_article(title="Scheduled story", published_at=timezone.now() + timedelta(days=1))
    client.force_login(admin_user)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Not published." in response.content.decode()
    assert "Scheduled for" in response.content.decode()
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_signed_in_non_staff_user_cannot_preview(client, django_user_model):
    article = make_article(status=Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_published_article_has_no_preview_banner_for_staff(client, admin_user):
    article = make_article()
    client.force_login(admin_user)
    response = client.get(article.get_absolute_url())
    assert "Not published." not in response.content.decode()
    assert "no-store" not in response.get("Cache-Control", "")


# Tags, sections and authors


def test_tag_page_lists_its_articles_newest_first(client):
    old = make_article(title="Old", published_at=timezone.now() - timedelta(days=3), people=["Xi Jinping"])
    new = make_article(title="New", people=["Xi Jinping"])
    make_article(title="Unrelated", people=["Someone Else"])
    tag = Person.objects.get(name="Xi Jinping")
    tag.description = "President of China (习近平)."
    tag.save()

    response = client.get(tag.get_absolute_url())

    assert list(response.context["articles"]) == [new, old]
    content = response.content.decode()
    assert "<h1>Xi Jinping</h1>" in content
    assert "President of China (习近平)." in content
    assert "Unrelated" not in content
    assert "2 articles" in content


@pytest.mark.parametrize(
    "vocabulary, name, path",
    [
        ("people", "习近平", "/people/%E4%B9%A0%E8%BF%91%E5%B9%B3/"),
        ("places", "Zürich", "/places/z%C3%BCrich/"),
        ("events", "Ángela's première", "/events/%C3%A1ngelas-premi%C3%A8re/"),
    ],
)
def test_unicode_tags_have_working_pages(client, vocabulary, name, path):
    article = make_article(title="Unicode story", **{vocabulary: [name]})
    tag = getattr(article, vocabulary).get()
    assert tag.get_absolute_url() == path

    response = client.get(path)

    assert response.status_code == 200
    assert "Unicode story" in response.content.decode()
    assert f'href="{path}"' in client.get(article.get_absolute_url()).content.decode()


def test_tag_index_groups_names_a_to_z_with_counts(client):
    make_article(people=["Xi Jinping", "Vladimir Putin", "Émile Zola", "习近平"])
    make_article(people=["Vladimir Putin", "antónio guterres"])

    response = client.get(reverse("articles:tag-index", kwargs={"vocabulary": "people"}))

    letters = [
        (letter, [(tag.name, tag.article_count) for tag in tags])
        for letter, tags in response.context["letters"]
    ]
    assert letters == [
        ("A", [("antónio guterres", 1)]),
        ("E", [("Émile Zola", 1)]),
        ("V", [("Vladimir Putin", 2)]),
        ("X", [("Xi Jinping", 1)]),
        ("#", [("习近平", 1)]),
    ]
    content = response.content.decode()
    assert '<a href="/people/a-z/v/">V <span class="letter-jumps__count">1<' in content
    assert '<h2 id="letter-V">V</h2>' in content


def test_unknown_vocabulary_or_tag_is_404(client):
    assert client.get("/persons/").status_code == 404
    assert client.get("/people/nobody/").status_code == 404


def test_section_page_lists_its_articles_and_shows_in_the_masthead(client):
    section = make_section(name="Culture", slug="culture", description="Books, film and art.")
    make_article(title="A film festival", section=section)
    make_article(title="Elsewhere")

    response = client.get(section.get_absolute_url())

    content = response.content.decode()
    assert "Books, film and art." in content
    assert "A film festival" in content
    assert "Elsewhere" not in content
    assert '<a href="/sections/culture/"' in client.get("/").content.decode()


def test_empty_section_page_still_answers(client):
    section = make_section(name="Science", slug="science")
    response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    assert "Nothing published here yet." in response.content.decode()


def test_author_page_shows_bio_and_articles(client):
    author = make_author(name="Mira Patel", slug="mira-patel", bio="Covers Russia and China.")
    make_article(title="Her story", authors=[author])
    response = client.get(author.get_absolute_url())
    assert "Covers Russia and China." in response.content.decode()
    assert "Her story" in response.content.decode()


# Escaping


def test_names_and_text_are_escaped_everywhere(client):
    """Markup typed into titles, deks, captions, credits, tag names and bios shows as text."""
    payload = '<script>alert("x")</script>'
    section = make_section(name=f"Section {payload}", slug="evil-section", description=payload)
    author = make_author(name=f"Author {payload}", slug="evil-author", bio=payload)
    article = make_article(
        title=f"Title {payload}",
        dek=f"Dek {payload}",
        caption=f"Caption {payload}",
        lead_image=make_image(alt=f"Alt {payload}", credit=f"Credit {payload}"),
        section=section,
        authors=[author],
        people=[f"Person {payload}"],
        places=[f"Place {payload}"],
        events=[f"Event {payload}"],
    )
    person = article.people.get()

    for url in (
        "/",
        article.get_absolute_url(),
        section.get_absolute_url(),
        author.get_absolute_url(),
        person.get_absolute_url(),
        reverse("articles:tag-index", kwargs={"vocabulary": "people"}),
        reverse("articles:tag-index", kwargs={"vocabulary": "places"}),
        reverse("articles:tag-index", kwargs={"vocabulary": "events"}),
    ):
        content = client.get(url).content.decode()
        assert "<script>" not in content, url
        assert "&lt;script&gt;" in content, url


# Error pages


def test_404_page_is_in_the_site_design(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "We couldn't find that page" in content
    assert 'class="masthead"' in content


def test_500_page_is_in_the_site_design_and_needs_no_database(client, settings, django_assert_num_queries):
    from resilience.views import server_error

    with django_assert_num_queries(0):
        response = server_error(None)
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong on our side" in content
    assert "HOLR Magazine" in content


# Query counts: fixed, whatever the number of tags, authors or articles


def article_with(n):
    authors = [make_author() for _ in range(n)]
    return make_article(
        authors=authors,
        lead_image=make_image(),
        section=make_section(),
        people=[f"Person {i}" for i in range(n)],
        places=[f"Place {i}" for i in range(n)],
        events=[f"Event {i}" for i in range(n)],
    )


def test_article_page_queries_do_not_grow_with_tags_or_authors(client):
    one, thirty = article_with(1), article_with(30)
    for _ in range(5):  # related stories to show, each with its own image, section and authors
        make_article(
            people=["Person 0"],
            places=["Place 0"],
            events=["Event 0"],
            lead_image=make_image(),
            section=make_section(),
            authors=[make_author()],
        )
    # article + authors + people + places + events + corrections and updates (related
    # stories are kept until content changes; the request that makes them runs one more query)
    assert queries_for(client, one.get_absolute_url()) == 6
    assert queries_for(client, thirty.get_absolute_url()) == 6
    assert len(client.get(thirty.get_absolute_url()).context["related_articles"]) == 4


def test_tag_page_queries_do_not_grow_with_articles(client):
    image, section, author = make_image(), make_section(), make_author()
    make_article(people=["Few"], lead_image=image, section=section, authors=[author])
    for _ in range(50):
        make_article(
            people=["Many", f"Companion {_}"],
            places=["Often"],
            lead_image=image,
            section=section,
            authors=[author, make_author()],
        )
    # tag + page of articles + their authors (the count and "often with" are kept until
    # content changes; "often with" costs one query when it is made)
    assert queries_for(client, "/people/few/") == 3
    assert queries_for(client, "/people/many/") == 3
    assert queries_for(client, "/people/many/?page=3") == 3


def test_home_and_index_queries_are_fixed(client):
    for _ in range(25):
        article_with(2)
    # page of articles + authors (the count is cached)
    assert queries_for(client, "/") == 2
    assert queries_for(client, "/?page=2") == 2
    # tags with counts (the letters' counts are kept until content changes)
    assert queries_for(client, "/people/") == 1
    # a letter's page of tags (its pages' starts are kept too)
    assert queries_for(client, "/people/a-z/p/") == 1


def test_author_page_shows_the_authors_photo_in_the_same_queries(client):
    author = make_author(slug="mira-patel", photo=make_image(alt="Mira Patel, smiling"))
    make_article(authors=[author])
    response = client.get(author.get_absolute_url())
    assert 'alt="Mira Patel, smiling"' in response.content.decode()
    # author (with photo) + page of articles + their authors (the count is cached)
    assert queries_for(client, author.get_absolute_url()) == 3


def test_related_stories_and_often_with_are_made_again_after_any_change(client):
    """They are kept between requests, but never past a change readers could see."""
    article = make_article(title="Summit", people=["Xi Jinping"])
    make_article(title="Earlier talks", people=["Xi Jinping"])
    assert [a.title for a in client.get(article.get_absolute_url()).context["related_articles"]] == [
        "Earlier talks"
    ]
    make_article(title="Later talks", people=["Xi Jinping"], places=["Moscow"])
    related = client.get(article.get_absolute_url()).context["related_articles"]
    assert [a.title for a in related] == ["Later talks", "Earlier talks"]
    assert [t.name for t in client.get("/people/xi-jinping/").context["often_with"]] == ["Moscow"]


def test_masthead_shows_a_renamed_or_new_section_at_once(client):
    section = make_section(name="World", slug="world")
    make_article(section=section)
    assert "World" in client.get("/").content.decode()
    section.name = "Foreign"
    section.save()
    make_section(name="Ideas", slug="ideas")
    masthead = client.get("/").content.decode().split("</header>")[0]
    assert "Foreign" in masthead and "Ideas" in masthead and ">World<" not in masthead


def test_article_with_a_unicode_slug_has_a_working_page(client):
    article = make_article(title="习近平 in Moscow", slug="")
    assert article.get_absolute_url() == "/articles/%E4%B9%A0%E8%BF%91%E5%B9%B3-in-moscow/"
    assert client.get(article.get_absolute_url()).status_code == 200


def test_an_unexpected_error_gets_the_designed_500_page(client, monkeypatch):
    """handler500 is wired: a crash in a view shows the site's 500 page, not Django's."""

    def crash(self):
        raise RuntimeError("the database fell over")

    monkeypatch.setattr("articles.views.HomeView.get_queryset", crash)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
