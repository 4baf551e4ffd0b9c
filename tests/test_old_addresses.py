"""Old paths from another system (PathRedirect): 301 after a 404, never to what readers may not see."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import PathRedirect, Status

from .builders import make_article, make_section

pytestmark = pytest.mark.django_db


def test_an_old_permalink_answers_301_to_the_article_and_follows_its_slug(client):
    story = make_article(slug="old-friends")
    PathRedirect.objects.create(old_path="/2013/01/05/old-friends/", article=story)
    response = client.get("/2013/01/05/old-friends/")
    assert (response.status_code, response["Location"]) == (301, "/articles/old-friends/")
    story.slug = "still-old-friends"
    story.save()
    assert client.get("/2013/01/05/old-friends").headers["Location"] == "/articles/still-old-friends/"


def test_query_addresses_on_the_home_page_answer_301_and_others_show_home(client, django_assert_num_queries):
    story = make_article()
    PathRedirect.objects.create(old_path="/?p=12", article=story)
    response = client.get("/?p=12")
    assert (response.status_code, response["Location"]) == (301, story.get_absolute_url())
    assert client.get("/?p=13").status_code == 200
    assert client.get("/?page=2").status_code in (200, 404)  # not an old address: the home page decides


def test_a_path_redirect_to_a_draft_or_scheduled_article_stays_404(client):
    draft = make_article(status=Status.DRAFT, published_at=None)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    PathRedirect.objects.create(old_path="/2014/draft/", article=draft)
    PathRedirect.objects.create(old_path="/?p=7", article=scheduled)
    assert client.get("/2014/draft/").status_code == 404
    assert client.get("/?p=7").status_code == 200  # the home page, which does not show it
    assert scheduled.title not in client.get("/?p=7").content.decode()


def test_a_path_redirect_to_a_path_answers_301(client):
    section = make_section(slug="news")
    PathRedirect.objects.create(old_path="/category/news/", new_path=section.get_absolute_url())
    response = client.get("/category/news/")
    assert (response.status_code, response["Location"]) == (301, "/sections/news/")


def test_live_pages_win_over_old_paths(client):
    story = make_article(slug="live")
    PathRedirect.objects.create(old_path=story.get_absolute_url(), new_path="/elsewhere/")
    assert client.get(story.get_absolute_url()).status_code == 200


def test_old_addresses_cost_one_query_after_a_404_and_none_otherwise(client, django_assert_num_queries):
    client.get("/warm/the/masthead/and/footer/")  # the 404 page's own, made once per content version
    with django_assert_num_queries(1) as captured:  # then only the lookup
        assert client.get("/no/such/page/").status_code == 404
    assert sum("articles_pathredirect" in query["sql"] for query in captured.captured_queries) == 1
    story = make_article()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(story.get_absolute_url()).status_code == 200
    assert not any("articles_pathredirect" in query["sql"] for query in captured.captured_queries)


def test_a_path_redirect_needs_a_slash_and_a_target():
    with pytest.raises(ValidationError) as error:
        PathRedirect(old_path="2013/x/", new_path="").full_clean()
    assert {"old_path", "new_path"} <= set(error.value.message_dict)


def test_editors_manage_old_paths_in_the_admin(admin_client):
    story = make_article()
    response = admin_client.post(
        reverse("admin:articles_pathredirect_add"),
        {"old_path": "/2010/05/05/x/", "article": story.pk, "new_path": ""},
    )
    assert response.status_code == 302
    changelist = admin_client.get(reverse("admin:articles_pathredirect_changelist"))
    assert "/2010/05/05/x/" in changelist.content.decode()


def test_an_address_with_a_nul_byte_is_a_plain_404(client):
    """PostgreSQL refuses NUL in text: the lookup skips such an address instead of failing."""
    assert client.get("/static/%00/").status_code == 404
    assert client.get("/", {"p": "1\x00"}).status_code == 200  # the home page, no redirect
