"""Two app servers sharing one PostgreSQL (and one Redis): a change through one is served by the other at once."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from articles.models import Article, Status
from tests.builders import make_article

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    """A port nothing listens on now (the kernel's pick), so parallel runs do not collide."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis")),
        reason="needs DATABASE_URL on PostgreSQL: servers in other processes cannot share a SQLite test database",
    ),
]

CACHES = {
    "redis": pytest.param(
        "redis",
        marks=pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (.ci/run sets it)"),
    ),
    # Each gunicorn worker with its own local-memory cache: the version lives in the database.
    "local-memory": "local-memory",
}


def wait_for(port, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not start")


@pytest.fixture(params=list(CACHES.values()))
def servers(request, transactional_db, tmp_path, settings):
    """Two gunicorns, two workers each, on the test database (and Redis, or local memory).

    This test process writes too, so it keeps the content version where the servers do.
    """
    settings.CONTENT_VERSION_STORE = "cache" if request.param == "redis" else "database"
    database = connection.settings_dict
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "tests.serving_settings",
        "DJANGO_SECRET_KEY": "two-servers-test-key",
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CONN_MAX_AGE": "0",
        "DATABASE_URL": (
            f"postgres://{urllib.parse.quote(database['USER'] or '')}:{urllib.parse.quote(database['PASSWORD'] or '')}"
            f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    if request.param == "redis":
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    processes = {}
    ports = {"a": free_port(), "b": free_port()}
    try:
        for name, port in ports.items():
            processes[name] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "holr.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--no-control-socket",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
            )
        for name, port in ports.items():
            wait_for(port, processes[name])
        yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=30)


def get(url, opener=None):
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def sign_in(base, username, password):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    _, _, page = get(f"{base}/admin/login/", opener)
    data = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": csrf_token(page),
        "next": "/admin/",
    }
    with opener.open(f"{base}/admin/login/", urllib.parse.urlencode(data).encode(), timeout=10) as response:
        assert "Log out" in response.read().decode()
    return opener


def warm(url, in_a_row=4, attempts=40):
    """Fetch until the page comes from the cache `in_a_row` times running.

    Which worker takes a request is the kernel's choice, so this cannot prove every
    worker holds the page; a run of hits makes it very likely, and a busy machine no
    longer fails the test by sending the last of a fixed number of requests to a cold one.
    """
    hits = 0
    for _ in range(attempts):
        status, headers, body = get(url)
        hits = hits + 1 if headers.get("X-Page-Cache") == "hit" else 0
        if hits == in_a_row:
            return status, body
    raise AssertionError(f"{url} never came from the cache {in_a_row} times running: {headers}")


def test_publishing_through_one_server_shows_on_the_other_at_once(servers, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-test-password")
    make_article(title="Yesterday's story")
    draft = make_article(title="Breaking through server A", status=Status.DRAFT, published_at=None)
    a, b = servers["a"], servers["b"]
    article_url = draft.get_absolute_url()
    for base in (a, b):
        assert "Breaking through server A" not in warm(f"{base}/")[1]
        assert get(f"{base}{article_url}")[0] == 404

    editor = sign_in(a, "editor", "a-long-test-password")
    _, _, changelist = get(f"{a}/admin/articles/article/", editor)
    data = {
        "action": "publish_now",
        "_selected_action": str(draft.pk),
        "index": "0",
        "select_across": "0",
        "csrfmiddlewaretoken": csrf_token(changelist),
    }
    editor.open(f"{a}/admin/articles/article/", urllib.parse.urlencode(data).encode(), timeout=10).read()
    assert Article.objects.get(pk=draft.pk).is_published()

    for _ in range(4):  # whichever worker of B answers
        status, headers, body = get(f"{b}/")
        assert "Breaking through server A" in body, headers
        assert get(f"{b}{article_url}")[0] == 200

    # A third process (this test) edits; both servers show it on the next request.
    for base in (a, b):
        warm(f"{base}{article_url}")
    article = Article.objects.get(pk=draft.pk)
    article.title = "Corrected headline"
    article.save()
    for base in (a, b):
        for _ in range(4):
            assert "Corrected headline" in get(f"{base}{article_url}")[2]
