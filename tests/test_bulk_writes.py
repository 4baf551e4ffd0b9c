"""Bulk writers (the WordPress import) bump the content version once and index search once."""

import pytest

from articles.models import Article
from pagecache import versions
from search.documents import indexing_deferred
from search.models import SearchEntry

from .builders import make_article

pytestmark = pytest.mark.django_db


def test_bumps_inside_bumps_deferred_become_one_on_the_way_out(monkeypatch):
    made = []
    monkeypatch.setattr(versions, "_step_database", lambda keys: made.append(("db", keys)))
    monkeypatch.setattr(versions, "_step_cache", lambda keys: made.append(("cache", keys)))
    monkeypatch.setattr(versions, "store", lambda: "database")
    with versions.bumps_deferred():
        first, second = make_article(), make_article()
        assert made == []
    assert len(made) == 1 and made[0][0] == "db"  # one step, for both articles
    assert {f"article:{first.pk}", f"article:{second.pk}", "articles:listed"} <= made[0][1]


def test_keys_retired_inside_bumps_deferred_are_retired_together(monkeypatch):
    made = []
    monkeypatch.setattr(versions, "_step_database", lambda keys: made.append(keys))
    monkeypatch.setattr(versions, "store", lambda: "database")
    with versions.bumps_deferred():
        versions.retire({"image:1"})
        versions.retire({"image:2", "article:3"})
        versions.retire(set())
    assert made == [frozenset({"image:1", "image:2", "article:3"})]


def test_nothing_changed_inside_bumps_deferred_means_no_bump(monkeypatch):
    made = []
    monkeypatch.setattr(versions, "_step_database", lambda keys: made.append("db"))
    monkeypatch.setattr(versions, "store", lambda: "database")
    with versions.bumps_deferred():
        pass
    assert made == []


def test_articles_saved_inside_indexing_deferred_are_indexed_when_it_ends(django_assert_max_num_queries):
    with indexing_deferred():
        _first, _second = make_article(title="Harbour lights"), make_article(title="Night trains")
        assert SearchEntry.objects.count() == 0
    assert sorted(SearchEntry.objects.values_list("title", flat=True)) == ["Harbour lights", "Night trains"]
    assert Article.objects.count() == 2


def test_an_error_inside_indexing_deferred_indexes_nothing():
    with pytest.raises(RuntimeError), indexing_deferred():
        make_article()
        raise RuntimeError
    assert SearchEntry.objects.count() == 0
