"""Old addresses keep working: a moved article answers 301, a deleted one 410 Gone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRedirect, DeletedArticle, Status
from tests.builders import make_article

pytestmark = pytest.mark.django_db


def detail(slug):
    return reverse("articles:detail", kwargs={"slug": slug})


def rename(article, slug):
    article.slug = slug
    article.save()
    return article


def test_changing_a_published_articles_slug_leaves_a_301(client):
    """The old address of a published article answers 301 to the new one."""
    rename(make_article(slug="old-name"), "new-name")

    response = client.get(detail("old-name"))

    assert response.status_code == 301
    assert response["Location"] == detail("new-name")
    assert client.get(detail("new-name")).status_code == 200


def test_chain_of_renames_is_one_hop(client):
    """A → B → C: both A and B answer 301 straight to C, never through B."""
    article = make_article(slug="a")
    rename(article, "b")
    rename(article, "c")

    for old in ("a", "b"):
        response = client.get(detail(old))
        assert (response.status_code, response["Location"]) == (301, detail("c"))


def test_renaming_back_to_an_old_slug_makes_no_cycle(client):
    """A → B → A: A is the live page again (200), B redirects to it, and no row points A anywhere."""
    article = make_article(slug="a")
    rename(article, "b")
    rename(article, "a")

    assert client.get(detail("a")).status_code == 200
    assert client.get(detail("b"))["Location"] == detail("a")
    assert list(ArticleRedirect.objects.values_list("old_slug", flat=True)) == ["b"]


def test_another_article_taking_an_old_slug_wins_over_the_redirect(client):
    """A live article at an address beats a redirect that used to be there."""
    moved = rename(make_article(slug="shared"), "moved")
    newcomer = make_article(slug="shared", title="The newcomer")

    response = client.get(detail("shared"))

    assert response.status_code == 200
    assert response.context["article"] == newcomer
    assert not ArticleRedirect.objects.filter(old_slug="shared").exists()
    assert client.get(detail("moved")).context["article"] == moved


def test_draft_slug_changes_leave_no_redirect(client):
    """A draft never had a public address, so its old slug is simply gone (404)."""
    rename(make_article(slug="draft-one", status=Status.DRAFT, published_at=None), "draft-two")

    assert not ArticleRedirect.objects.exists()
    assert client.get(detail("draft-one")).status_code == 404


def test_redirect_to_an_unpublished_article_is_404_for_readers(client, admin_client):
    """An article unpublished after its rename is not revealed through its old address."""
    article = rename(make_article(slug="before"), "after")
    article.status = Status.DRAFT
    article.save()

    assert client.get(detail("before")).status_code == 404
    assert admin_client.get(detail("before")).status_code == 301


def test_deleted_published_article_answers_410_in_the_site_design(client):
    """The deleted article's address, and its old ones, answer 410 with the designed page."""
    article = rename(make_article(slug="first-name", title="Gone story"), "second-name")
    article.delete()

    for slug in ("first-name", "second-name"):
        response = client.get(detail(slug))
        assert response.status_code == 410
        assert [t.name for t in response.templates][0] == "410.html"
        html = response.content.decode()
        assert "This article has been removed" in html
        assert 'class="masthead"' in html  # in the site's look, with the masthead
        assert "Gone story" not in html


def test_deleted_draft_is_plain_404(client):
    """A draft was never public: deleting it leaves no tombstone."""
    make_article(slug="never-out", status=Status.DRAFT, published_at=None).delete()

    assert not DeletedArticle.objects.exists()
    assert client.get(detail("never-out")).status_code == 404


def test_deleting_through_the_admin_bulk_action_leaves_tombstones(admin_client):
    """Queryset deletes (the admin's "delete selected") leave a 410 too."""
    articles = [make_article(slug="bulk-1"), make_article(slug="bulk-2")]

    Article.objects.filter(pk__in=[a.pk for a in articles]).delete()

    assert set(DeletedArticle.objects.values_list("slug", flat=True)) == {"bulk-1", "bulk-2"}


def test_a_new_article_at_a_tombstoned_address_is_live(client):
    """Reusing a deleted article's slug makes the address a live page again."""
    make_article(slug="reused").delete()
    make_article(slug="reused", title="Second life")

    assert client.get(detail("reused")).status_code == 200
    assert not DeletedArticle.objects.filter(slug="reused").exists()


def test_scheduled_article_slug_change_leaves_no_redirect():
    """A scheduled article was never visible: no redirect to leak it."""
    article = make_article(slug="soon", published_at=timezone.now() + timedelta(days=1))
    rename(article, "later")

    assert not ArticleRedirect.objects.exists()


def test_old_address_costs_two_queries_after_the_miss(client, django_assert_num_queries):
    """The 301 costs the failed lookup plus one: redirects are only consulted on a miss."""
    rename(make_article(slug="was"), "is")

    with django_assert_num_queries(2):
        assert client.get(detail("was")).status_code == 301


def test_gone_address_costs_three_queries_and_a_cached_masthead(client, django_assert_num_queries):
    make_article(slug="gone").delete()
    client.get(detail("gone"))  # warms the masthead cache

    with django_assert_num_queries(3):
        assert client.get(detail("gone")).status_code == 410


def test_live_article_pays_nothing_for_redirects(client, django_assert_num_queries):
    """A hit never looks at the redirect or tombstone tables."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = make_article()
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())

    assert not any("redirect" in q["sql"].lower() or "deletedarticle" in q["sql"].lower() for q in queries)


def test_editors_can_look_up_old_addresses_but_not_type_them(admin_client):
    """The admin lists old addresses (written by the system) and offers no add or edit form."""
    rename(make_article(slug="was-here"), "now-here")
    changelist = reverse("admin:articles_articleredirect_changelist")

    response = admin_client.get(changelist, {"q": "was-here"})

    assert response.status_code == 200 and "was-here" in response.content.decode()
    assert admin_client.get(reverse("admin:articles_articleredirect_add")).status_code == 403
