import pytest
from django.core.cache import cache

from pagecache.middleware import hot_pages


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes uploads and renditions to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts and ends with an empty cache, so nothing leaks between tests."""
    cache.clear()
    hot_pages.clear()
    yield
    cache.clear()
