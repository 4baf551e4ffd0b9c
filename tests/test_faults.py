"""Faults: the database or the cache goes away, a save fails half-way.

Each test breaks something for real: a PostgreSQL address where nothing listens, a
throwaway redis-server that is stopped and started again, an error injected mid-save.
"""

import json
import logging
import shutil
import socket
import subprocess
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import DatabaseError
from django.urls import reverse

from articles.models import Article, Section
from editorial.admin.articles import ArticleAdmin
from images.admin import ImageAdmin
from images.models import Image
from tests.builders import make_article, make_image, make_upload
from tests.test_settings import PRODUCTION, run

ROOT = Path(__file__).resolve().parent.parent
NOTHING_LISTENS = "postgres://postgres@127.0.0.1:8179/holr"  # a port in this project's range, kept free
REDIS_PORT = 8171


@pytest.fixture
def holr_logs(caplog):
    """Capture the "holr" loggers (they do not propagate to the root logger)."""
    logger = logging.getLogger("holr")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="holr")
    yield caplog
    logger.removeHandler(caplog.handler)


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


# The database --------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_200_with_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response.headers["Cache-Control"]


DOWN_SCRIPT = """
import json, time, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
results = {}
for path in ["/healthz", "/", "/articles/some-story/", "/people/"]:
    started = time.monotonic()
    response = client.get(path)
    results[path] = [response.status_code, response.headers.get("Content-Type"), response.headers.get("Retry-After"),
                     response.content.decode()[:3000], time.monotonic() - started]
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def with_database_down():
    """Every answer of the app, configured exactly as in tests, with PostgreSQL gone."""
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", 8179)) != 0, "something listens on 8179"

    result = run(["-c", DOWN_SCRIPT], DJANGO_SETTINGS_MODULE="tests.settings", DATABASE_URL=NOTHING_LISTENS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_answers_a_plain_fast_503_with_the_database_down(with_database_down):
    status, content_type, retry_after, body, seconds = with_database_down["/healthz"]
    assert status == 503
    assert content_type.startswith("text/plain")
    assert body == "database unavailable\n"
    assert seconds < 2


@pytest.mark.parametrize("path", ["/", "/articles/some-story/", "/people/"])
def test_pages_answer_a_designed_503_with_the_database_down(with_database_down, path):
    status, content_type, retry_after, body, seconds = with_database_down[path]
    assert status == 503
    assert retry_after == "30"
    assert "We will be back in a moment" in body
    assert 'class="masthead"' in body  # the site's design, not a bare error
    assert "Traceback" not in body and "OperationalError" not in body


def test_healthz_is_not_redirected_to_https():
    """Load balancers probe over plain HTTP; every other page still redirects."""
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.test import Client\n"
            "client = Client(HTTP_HOST='magazine.example', raise_request_exception=False)\n"
            "print(client.get('/healthz').status_code, client.get('/').status_code)",
        ],
        **PRODUCTION,
        DATABASE_URL=NOTHING_LISTENS,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["503", "301"]


# The cache -----------------------------------------------------------------------------


class RedisServer:
    """A throwaway redis-server on this project's port, stopped and started at will."""

    def __init__(self, port, folder):
        self.port, self.folder, self.process = port, folder, None

    def start(self):
        # --save "" with an explicit SAVE before stopping: what a real Redis keeps across a restart.
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        subprocess.run(
            [shutil.which("redis-cli"), "-p", str(self.port), "save"], capture_output=True, timeout=10
        )
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_cache(settings, tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(REDIS_PORT, tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "resilience.cache.FaultTolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "RETRY_AFTER": 0,  # retry at once, so the test need not wait to see recovery
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield server
    if server.process.poll() is None:
        server.process.terminate()
        server.process.wait(timeout=10)


@pytest.mark.django_db
def test_pages_are_served_from_the_database_while_redis_is_down_and_the_cache_recovers(
    client, redis_cache, holr_logs
):
    make_article(title="Still here", section=Section.objects.create(name="Culture", slug="culture"))
    assert client.get("/").status_code == 200
    assert cache.get("holr-probe", "miss") == "miss"
    cache.set("holr-probe", "cached")
    assert cache.get("holr-probe") == "cached"

    redis_cache.stop()
    started = time.monotonic()
    response = client.get("/")
    assert response.status_code == 200 and "Still here" in response.content.decode()
    assert time.monotonic() - started < 3
    assert any("Redis cache unavailable" in r.getMessage() for r in holr_logs.records)
    # An editor changes the masthead while Redis is down: the invalidation is lost...
    Section.objects.create(name="Ideas", slug="ideas")
    assert "Ideas" in client.get("/").content.decode()

    redis_cache.start()  # ...and Redis comes back holding what it had before.
    response = client.get("/")
    assert response.status_code == 200
    assert "Ideas" in response.content.decode()  # no stale masthead
    assert any("cleared on reconnection" in r.getMessage() for r in holr_logs.records)
    cache.set("holr-probe", "again")
    assert cache.get("holr-probe") == "again"


def test_the_plain_redis_cache_would_fail_the_page(settings, redis_cache):
    """What the fault-tolerant backend protects against: Django's RedisCache raises."""
    from redis.exceptions import ConnectionError

    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "BACKEND": "django.core.cache.backends.redis.RedisCache"},
    }
    settings.CACHES["default"].pop("RETRY_AFTER")
    redis_cache.stop()
    with pytest.raises(ConnectionError):
        cache.get("anything")


def test_a_stopped_redis_answers_as_an_empty_cache(settings, redis_cache):
    redis_cache.stop()
    assert cache.get("key", "default") == "default"
    assert cache.get_or_set("key", "computed") == "computed"
    assert cache.set("key", 1) is None
    assert cache.add("key", 1) is False
    assert cache.delete("key") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]
    with pytest.raises(ValueError):
        cache.incr("counter")


# Failed saves --------------------------------------------------------------------------


ARTICLE_FORM = {
    "title": "Half-saved",
    "slug": "half-saved",
    "dek": "A standfirst.",
    "body": "<p>Body.</p>",
    "status": "draft",
    "people": "Vladimir Putin",
    "places": "",
    "events": "",
    "author_links-TOTAL_FORMS": "0",
    "author_links-INITIAL_FORMS": "0",
    "notes-TOTAL_FORMS": "0",
    "notes-INITIAL_FORMS": "0",
}


@pytest.mark.django_db
def test_a_database_error_mid_save_leaves_no_half_saved_article(admin_client):
    """The article row is written, then saving its tags fails: nothing of it remains."""
    with mock.patch.object(ArticleAdmin, "save_related", side_effect=DatabaseError("disk full")):
        with pytest.raises(DatabaseError):
            admin_client.post(reverse("admin:articles_article_add"), ARTICLE_FORM)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_failed_rendition_leaves_neither_the_image_nor_any_file(admin_client, settings):
    """Pillow fails on the third rendition: the upload and the two made already are removed."""
    from PIL import Image as PILImage

    real_resize, calls = PILImage.Image.resize, []

    def failing_resize(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError("image file is truncated")
        return real_resize(self, *args, **kwargs)

    with mock.patch.object(PILImage.Image, "resize", failing_resize), pytest.raises(OSError):
        admin_client.post(
            reverse("admin:images_image_add"),
            {
                "file": make_upload(width=2000, height=1000),
                "alt": "A photo",
                "credit": "",
                "focal_x": "0.5",
                "focal_y": "0.5",
            },
        )
    assert len(calls) == 3
    assert not Image.objects.exists()
    assert media_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_a_database_error_after_the_upload_leaves_no_orphaned_files(admin_client, settings):
    """The image and its renditions are stored, then the transaction rolls back: the files go too."""
    with mock.patch.object(ImageAdmin, "log_addition", side_effect=DatabaseError("connection lost")):
        with pytest.raises(DatabaseError):
            admin_client.post(
                reverse("admin:images_image_add"),
                {
                    "file": make_upload(width=700, height=400),
                    "alt": "A photo",
                    "credit": "",
                    "focal_x": "0.5",
                    "focal_y": "0.5",
                },
            )
    assert not Image.objects.exists()
    assert media_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_replacement_keeps_the_old_file(admin_client, settings):
    """Replacing an image's file fails after the new file is stored: the old one still serves."""
    image = make_image(width=700, height=400)
    before = media_files(settings)
    with mock.patch.object(ImageAdmin, "log_change", side_effect=DatabaseError("connection lost")):
        with pytest.raises(DatabaseError):
            admin_client.post(
                reverse("admin:images_image_change", args=[image.pk]),
                {
                    "file": make_upload("new.png", width=500, height=500, image_format="PNG"),
                    "alt": "A photo",
                    "credit": "",
                    "focal_x": "0.5",
                    "focal_y": "0.5",
                },
            )
    image.refresh_from_db()
    assert image.width == 700
    assert media_files(settings) == before


def test_the_redis_cache_builds_one_client_per_pool_not_one_per_call():
    from resilience.cache import FaultTolerantRedisCache

    cache = FaultTolerantRedisCache("redis://127.0.0.1:1/0", {})  # never connected to here
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client()
