"""The article changelist at magazine scale: fixed queries, small tag filters, no full count."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Person, Place
from editorial.admin.filters import POPULAR_TAGS
from tests.builders import make_article, make_author, make_image, make_section
from tests.test_admin import CHANGELIST_URL, changelist_rows

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    client.get(url)  # the steady state: content types, permissions, popular tags and the count cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def sidebar(response, title):
    html = response.content.decode()
    block = html.split(f'data-filter-title="{title}"', 1)[1].split("</details>", 1)[0]
    return re.findall(r"<a href=\"[^\"]*\">([^<]+)</a>", block)


def many_articles(count, tags_each=3):
    """`count` articles a week apart, so the archive spans years as a real one does."""
    section, image = make_section(), make_image(width=320, height=180)
    for n in range(count):
        make_article(
            title=f"Story {n}",
            published_at=timezone.now() - timedelta(days=7 * n + 1),
            section=section,
            lead_image=image,
            authors=[make_author()],
            people=[f"Person {n * tags_each + i}" for i in range(tags_each)] + ["Everyone"],
            places=[f"Place {n}"],
        )


def test_changelist_runs_a_fixed_number_of_queries_whatever_the_size(admin_client):
    """12 queries for 55 articles (two pages) and for 110 with three times the tags; no full count."""
    many_articles(55)
    small, response = queries_for(admin_client, CHANGELIST_URL)
    assert len(changelist_rows(response)) == 50
    many_articles(55, tags_each=9)
    large, response = queries_for(admin_client, CHANGELIST_URL)
    # session, user, the section and author filters, the page, its authors and three tag
    # vocabularies, the two ends of the date hierarchy, and the two-factor device check
    assert small == large == 12


def test_changelist_count_is_not_repeated_as_a_full_count(admin_client):
    """show_full_result_count is off: a filtered list says "N results", not "(M total)"."""
    many_articles(3)
    response = admin_client.get(f"{CHANGELIST_URL}?q=Story+1")
    assert (
        "total" not in response.content.decode().split('id="changelist-search"', 1)[1].split("</form>", 1)[0]
    )


def test_tag_filters_list_only_the_most_used_and_link_to_all(admin_client):
    many_articles(40)
    response = admin_client.get(CHANGELIST_URL)
    people = sidebar(response, "people")
    assert people[0] == "All"
    assert people[1] == "Everyone"  # the most used first
    assert len(people) == 1 + POPULAR_TAGS + 1  # All, the most used, "Search all people…"
    assert people[-1] == "Search all people…"
    assert reverse("admin:articles_person_changelist") in response.content.decode()


def test_filtering_by_a_tag_outside_the_most_used_lists_it_and_selects_its_articles(admin_client):
    many_articles(40)
    rare = Person.objects.get(name="Person 100")  # one article: never among the most used
    response = admin_client.get(f"{CHANGELIST_URL}?people__id__exact={rare.pk}")
    assert [row["title"] for row in changelist_rows(response)] == ["Story 33"]
    assert "Person 100" in sidebar(response, "people")


def test_filtering_by_a_popular_tag_lists_each_article_once(admin_client):
    many_articles(5)
    everyone = Person.objects.get(name="Everyone")
    response = admin_client.get(f"{CHANGELIST_URL}?people__id__exact={everyone.pk}")
    assert sorted(row["title"] for row in changelist_rows(response)) == [f"Story {n}" for n in range(5)]


@pytest.mark.parametrize("value", ["abc", "999999", ""])
def test_a_malformed_or_unknown_tag_filter_is_an_empty_list_not_an_error(admin_client, value):
    many_articles(2)
    response = admin_client.get(f"{CHANGELIST_URL}?places__id__exact={value}")
    assert response.status_code == 200
    if value:
        assert "Story 0" not in response.content.decode()


def test_tag_admin_counts_link_to_the_filtered_article_list(admin_client):
    make_article(places=["Moscow"])
    moscow = Place.objects.get()
    response = admin_client.get(reverse("admin:articles_place_changelist"))
    assert f'href="{CHANGELIST_URL}?places__id__exact={moscow.pk}"' in response.content.decode()


def test_date_hierarchy_lists_every_year_between_the_first_and_last_article(admin_client):
    now = timezone.now()
    make_article(published_at=now - timedelta(days=3 * 366))
    make_article(published_at=now - timedelta(hours=1))
    response = admin_client.get(CHANGELIST_URL)
    html = response.content.decode()
    for year in range((now - timedelta(days=3 * 366)).year, now.year + 1):
        assert f"published_at__year={year}" in html
