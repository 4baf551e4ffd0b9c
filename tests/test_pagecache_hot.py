"""Hot pages: with a shared cache, each process keeps the pages it served last in its own
memory, and checks them against the shared content version on every hit (issue 12)."""

import pytest

from articles.models import Article
from pagecache import versions
from pagecache.middleware import hot_pages
from tests.builders import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings):
    settings.PAGE_CACHE = True
    settings.CONTENT_VERSION_STORE = "cache"


@pytest.fixture
def fetched_keys(monkeypatch):
    """The keys each request asks the shared cache for."""
    asked = []
    real_get_many = versions.cache().get_many

    def get_many(keys, *args, **kwargs):
        asked.extend(keys)
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(versions.cache(), "get_many", get_many)
    return asked


def test_a_page_this_process_served_is_checked_without_fetching_its_bytes(client, shared_cache, fetched_keys):
    url = make_article().get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    fetched_keys.clear()

    response = client.get(url)

    assert response["X-Page-Cache"] == "hit"
    assert versions.VERSION_KEY in fetched_keys
    assert not [key for key in fetched_keys if key.startswith("holr:page:")]


def test_a_hot_page_goes_when_another_process_changes_what_it_shows(client, shared_cache):
    story = make_article(title="First headline")
    url = story.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    # Another process: the row changes and its step lands in the shared cache, no signal here.
    Article.objects.filter(pk=story.pk).update(title="Second headline")
    versions._step_cache(frozenset({f"article:{story.pk}"}))

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Second headline" in response.content.decode()


def test_a_hot_page_a_change_spared_is_still_served_from_memory(client, shared_cache, fetched_keys):
    story, other = make_article(), make_article()
    client.get(story.get_absolute_url())
    versions._step_cache(frozenset({f"article:{other.pk}"}))
    fetched_keys.clear()

    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    assert not [key for key in fetched_keys if key.startswith("holr:page:")]


def test_hot_pages_keep_only_the_most_recently_served(client, shared_cache, settings):
    settings.PAGE_CACHE_HOT_PAGES = 2
    urls = [make_article().get_absolute_url() for _ in range(3)]
    for url in urls:
        client.get(url)
    assert len(hot_pages.pages) == 2
    assert all(client.get(url)["X-Page-Cache"] == "hit" for url in urls)  # the rest come from the cache


def test_a_per_process_cache_keeps_no_second_copy(client, settings):
    settings.PAGE_CACHE = True
    settings.CONTENT_VERSION_STORE = "database"
    url = make_article().get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert not hot_pages.pages


def test_a_page_still_good_after_a_few_steps_is_not_written_again(client, shared_cache, monkeypatch):
    story, other = make_article(), make_article()
    url = story.get_absolute_url()
    client.get(url)
    written = []
    real_set = versions.cache().set
    monkeypatch.setattr(
        versions.cache(), "set", lambda key, *a, **k: (written.append(key), real_set(key, *a, **k))[1]
    )
    hot_pages.clear()  # served from the shared copy, as by another process

    versions._step_cache(frozenset({f"article:{other.pk}"}))
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert not [key for key in written if key.startswith("holr:page:")]

    for _ in range(versions.RESTAMP_AFTER + 1):
        versions._step_cache(frozenset({f"article:{other.pk}"}))
    hot_pages.clear()
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert [key for key in written if key.startswith("holr:page:")]  # stamped, so its check stays short
