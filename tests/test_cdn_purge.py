"""Purging a CDN by key (pagecache/cdn.py): what each provider's API receives, failures that
never reach the caller, the headers pages carry, the settings checks, manage.py purge_cdn,
and deploy/varnish.vcl under Debian's varnishd.

The CDNs are small fake APIs served on loopback (and a real Varnish, when installed); no
test leaves the machine.
"""

import http.client
import io
import json
import logging
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pagecache import cdn
from pagecache.checks import check_cdn_purge

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish.vcl"


class FakeCDN(ThreadingHTTPServer):
    """Records every request; answers with .status and .body after .delay seconds."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeCDNHandler)
        self.requests, self.status, self.body, self.delay, self.location = [], 200, b"{}", 0, None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class FakeCDNHandler(BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "body": self.rfile.read(length) if length else b"",
            }
        )
        time.sleep(self.server.delay)
        self.send_response(self.server.status)
        if self.server.location:
            self.send_header("Location", self.server.location)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    do_POST = do_PURGE = do_GET = answer

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """Purges go straight to loopback whatever proxy the machine names."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake_cdn():
    server = FakeCDN()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def provider(request, settings, fake_cdn):
    """Purging on, at the fake CDN, as `request.param` (fastly, cloudflare or varnish)."""
    settings.CDN_PURGE = getattr(request, "param", "fastly")
    settings.CDN_PURGE_URL = fake_cdn.url
    settings.CDN_SERVICE_ID = "svc-or-zone-1"
    settings.CDN_TOKEN = "purge-token"
    settings.CDN_TIMEOUT = "2"
    return settings.CDN_PURGE


@pytest.fixture
def cdn_logs(caplog):
    """Warnings of holr.pagecache.cdn ("holr" does not propagate to the root logger)."""
    logger = logging.getLogger("holr")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="holr")
    yield caplog
    logger.removeHandler(caplog.handler)


def warnings_of(caplog):
    return [r.getMessage() for r in caplog.records if r.name == cdn.logger.name and r.levelname == "WARNING"]


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# What each provider receives


@pytest.mark.parametrize("provider", ["fastly"], indirect=True)
def test_fastly_gets_a_post_per_256_keys_in_surrogate_key_with_its_token(provider, fake_cdn):
    """Fastly's batch purge: POST /service/{id}/purge, keys in Surrogate-Key, Fastly-Key auth."""
    assert cdn.purge(["article:12", "image:7", "article:12"]) is True
    (request,) = fake_cdn.requests
    assert (request["method"], request["path"]) == ("POST", "/service/svc-or-zone-1/purge")
    assert request["headers"]["fastly-key"] == "purge-token"
    assert request["headers"]["surrogate-key"] == "article:12 holr:overflow image:7"
    assert "authorization" not in request["headers"] and request["body"] == b""

    fake_cdn.requests.clear()
    assert cdn.purge([f"article:{n}" for n in range(300)]) is True
    sent = [request["headers"]["surrogate-key"].split(" ") for request in fake_cdn.requests]
    assert [len(keys) for keys in sent] == [256, 45]
    assert sorted(key for keys in sent for key in keys) == sorted(
        [*(f"article:{n}" for n in range(300)), "holr:overflow"]
    )


@pytest.mark.parametrize("provider", ["cloudflare"], indirect=True)
def test_cloudflare_gets_json_tags_100_a_call_with_a_bearer_token(provider, fake_cdn):
    """Cloudflare's purge by tag: POST /zones/{zone}/purge_cache {"tags": [...]}, Bearer token."""
    fake_cdn.body = b'{"success": true, "errors": [], "result": {"id": "x"}}'
    assert cdn.purge([f"image:{n}" for n in range(250)]) is True
    first = fake_cdn.requests[0]
    assert (first["method"], first["path"]) == ("POST", "/zones/svc-or-zone-1/purge_cache")
    assert first["headers"]["authorization"] == "Bearer purge-token"
    assert first["headers"]["content-type"] == "application/json"
    assert "fastly-key" not in first["headers"] and "surrogate-key" not in first["headers"]
    bodies = [json.loads(request["body"]) for request in fake_cdn.requests]
    assert [len(body["tags"]) for body in bodies] == [100, 100, 51]
    assert {tag for body in bodies for tag in body["tags"]} == {f"image:{n}" for n in range(250)} | {
        "holr:overflow"
    }


@pytest.mark.parametrize("provider", ["cloudflare"], indirect=True)
def test_cloudflare_refusing_in_its_json_is_a_failure(provider, fake_cdn, cdn_logs):
    fake_cdn.body = b'{"success": false, "errors": [{"code": 10000, "message": "Authentication error"}]}'
    assert cdn.purge(["article:1"]) is False
    (warning,) = warnings_of(cdn_logs)
    assert "provider=cloudflare" in warning and "Authentication error" in warning and "article:1" in warning


@pytest.mark.parametrize("provider", ["varnish"], indirect=True)
def test_varnish_gets_purge_requests_with_the_keys_in_xkey_purge(provider, fake_cdn):
    """Varnish: PURGE / with the keys in the header deploy/varnish.vcl hands to xkey.purge(),
    each header line under Varnish's 8 KB limit; no credentials."""
    keys = [f"tag:people:{n}" for n in range(1000)]
    assert cdn.purge(keys) is True
    assert {(request["method"], request["path"]) for request in fake_cdn.requests} == {("PURGE", "/")}
    values = [request["headers"]["xkey-purge"] for request in fake_cdn.requests]
    assert len(values) > 1 and all(len(value) <= 7000 for value in values)
    assert sorted(key for value in values for key in value.split(" ")) == sorted([*keys, "holr:overflow"])
    assert not {"fastly-key", "authorization"} & set(fake_cdn.requests[0]["headers"])


def test_the_site_key_purges_everything_in_one_request(provider, fake_cdn):
    assert cdn.purge([cdn.SITE_KEY, "article:3"]) is True
    (request,) = fake_cdn.requests
    assert request["headers"]["surrogate-key"] == "holr"


def test_nothing_to_purge_sends_nothing(provider, fake_cdn):
    assert cdn.purge([]) is True
    assert cdn.purge(["", "  "]) is True
    assert fake_cdn.requests == []


def test_purging_off_sends_nothing(settings, fake_cdn):
    settings.CDN_PURGE, settings.CDN_PURGE_URL = "off", fake_cdn.url
    assert cdn.is_enabled() is False
    assert cdn.purge(["article:1", cdn.SITE_KEY]) is False
    assert fake_cdn.requests == []


def test_keys_that_are_not_keys_are_logged_not_raised(provider, fake_cdn, cdn_logs):
    assert cdn.purge(None) is False
    assert "provider=fastly" in warnings_of(cdn_logs)[0]
    assert fake_cdn.requests == []


def test_a_single_key_string_is_one_key(provider, fake_cdn):
    assert cdn.purge("article:12") is True
    assert fake_cdn.requests[0]["headers"]["surrogate-key"] == "article:12 holr:overflow"


def test_the_public_apis_are_the_defaults(settings):
    settings.CDN_SERVICE_ID, settings.CDN_TOKEN, settings.CDN_PURGE_URL = "abc", "t", ""
    settings.CDN_PURGE = "fastly"
    assert cdn.build_request(cdn.provider(), ["a"]).full_url == "https://api.fastly.com/service/abc/purge"
    settings.CDN_PURGE = "cloudflare"
    assert (
        cdn.build_request(cdn.provider(), ["a"]).full_url
        == "https://api.cloudflare.com/client/v4/zones/abc/purge_cache"
    )


# A CDN that fails never fails the caller


@pytest.mark.parametrize("provider", ["fastly", "cloudflare", "varnish"], indirect=True)
def test_a_cdn_answering_500_is_logged_and_does_not_raise(provider, fake_cdn, cdn_logs):
    fake_cdn.status = 500
    assert cdn.purge(["article:12"]) is False
    (warning,) = warnings_of(cdn_logs)
    assert f"provider={provider}" in warning
    assert "status=HTTP 500" in warning
    assert "keys=article:12 holr:overflow" in warning


def test_a_refused_connection_is_logged_and_does_not_raise(provider, settings, cdn_logs):
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{closed_port()}"
    assert cdn.purge(["image:7"]) is False
    (warning,) = warnings_of(cdn_logs)
    assert "provider=fastly" in warning and "unreachable" in warning and "image:7" in warning


def test_a_cdn_slower_than_the_timeout_is_given_up_after_one_request(provider, settings, fake_cdn, cdn_logs):
    """A CDN that does not answer costs the save one timeout, not one per batch."""
    settings.CDN_TIMEOUT = "0.3"
    fake_cdn.delay = 1.5
    keys = [f"article:{n}" for n in range(600)]  # three batches for Fastly
    started = time.monotonic()
    assert cdn.purge(keys) is False
    assert time.monotonic() - started < 1.2
    assert len(fake_cdn.requests) == 1
    (warning,) = warnings_of(cdn_logs)
    assert "unreachable (timed out)" in warning
    assert all(f"article:{n}" in warning.split("keys=")[1].split(" ") for n in range(600))


def test_redirects_are_not_followed(provider, fake_cdn, cdn_logs):
    fake_cdn.status, fake_cdn.location = 302, f"{fake_cdn.url}/elsewhere"
    assert cdn.purge(["article:1"]) is False
    assert [request["path"] for request in fake_cdn.requests] == ["/service/svc-or-zone-1/purge"]
    (warning,) = warnings_of(cdn_logs)
    assert "HTTP 302 (redirects are not followed)" in warning


def test_one_failed_batch_does_not_stop_the_others(provider, fake_cdn, cdn_logs):
    fake_cdn.status = 429
    assert cdn.purge([f"article:{n}" for n in range(300)]) is False
    assert len(fake_cdn.requests) == 2
    assert len(warnings_of(cdn_logs)) == 2


# The headers pages carry


def test_header_values_are_sorted_deduplicated_and_carry_the_site_key():
    assert cdn.header_values(["image:7", "article:12", "image:7"]) == {
        "Surrogate-Key": "article:12 holr image:7",
        "Cache-Tag": "article:12,holr,image:7",
    }
    assert cdn.header_values([]) == {"Surrogate-Key": "holr", "Cache-Tag": "holr"}


def test_keys_that_would_break_the_headers_are_encoded_the_same_way_when_purged():
    odd = ["tag:places:Zürich", "a key, with a comma", "x" * 2000]
    values = cdn.header_values(odd)
    carried = set(values["Surrogate-Key"].split(" "))
    assert values["Cache-Tag"].split(",") == values["Surrogate-Key"].split(" ")
    assert values["Surrogate-Key"].isascii() and "," not in values["Surrogate-Key"]
    assert "tag:places:Z%C3%BCrich" in carried and "a%20key%2C%20with%20a%20comma" in carried
    assert all(len(key) <= cdn.MAX_KEY_BYTES for key in carried)
    for key in odd:
        assert carried & set(cdn.keys_to_purge([key])), key


def test_too_many_keys_give_way_to_the_overflow_key_which_every_purge_reaches():
    keys = [f"tag:people:{n}" for n in range(1500)]
    values = cdn.header_values(keys)
    assert values == {"Surrogate-Key": "holr holr:overflow", "Cache-Tag": "holr,holr:overflow"}
    assert "holr:overflow" in cdn.keys_to_purge(["tag:people:1"])


KEY = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40) | st.builds(
    "tag:people:{}".format, st.integers(0, 10**9)
)


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.lists(KEY, max_size=40) | st.lists(KEY, min_size=700, max_size=1100))
def test_every_key_of_a_page_purges_it_and_its_headers_fit(keys):
    """Whatever keys a page depends on, its headers stay within every provider's limits, and
    purging any one of them (or the site key) reaches the page."""
    values = cdn.header_values(keys)
    carried = set(values["Surrogate-Key"].split(" "))
    assert len(values["Surrogate-Key"].encode()) <= cdn.MAX_HEADER_BYTES
    assert len(values["Cache-Tag"].encode()) <= cdn.MAX_HEADER_BYTES
    assert len(carried) <= cdn.MAX_HEADER_KEYS
    assert cdn.SITE_KEY in carried
    for key in [*keys, cdn.SITE_KEY]:
        if key.strip():
            assert carried & set(cdn.keys_to_purge([key])), key


# Settings


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"CDN_PURGE": "akamai"}, "pagecache.E001"),
        ({"CDN_PURGE": "fastly", "CDN_SERVICE_ID": ""}, "pagecache.E002"),
        ({"CDN_PURGE": "cloudflare", "CDN_SERVICE_ID": ""}, "pagecache.E002"),
        ({"CDN_PURGE": "cloudflare", "CDN_TOKEN": ""}, "pagecache.E003"),
        ({"CDN_PURGE": "varnish", "CDN_PURGE_URL": ""}, "pagecache.E004"),
        ({"CDN_PURGE": "fastly", "CDN_PURGE_URL": "api.fastly.com"}, "pagecache.E005"),
        ({"CDN_PURGE": "varnish", "CDN_TIMEOUT": "soon"}, "pagecache.E006"),
        ({"CDN_PURGE": "varnish", "CDN_TIMEOUT": "0"}, "pagecache.E006"),
    ],
)
def test_an_unusable_purge_setting_is_a_system_check_error(settings, changes, error):
    settings.CDN_PURGE_URL, settings.CDN_SERVICE_ID, settings.CDN_TOKEN = "http://127.0.0.1:6081", "id", "t"
    settings.CDN_TIMEOUT = "2"
    for name, value in changes.items():
        setattr(settings, name, value)
    assert [message.id for message in check_cdn_purge(None)] == [error]
    with pytest.raises(SystemCheckError, match=error):
        call_command("check")


@pytest.mark.parametrize("choice", ["off", "fastly", "cloudflare", "varnish"])
def test_a_complete_purge_setting_passes_the_checks(settings, choice):
    settings.CDN_PURGE, settings.CDN_SERVICE_ID, settings.CDN_TOKEN = choice, "id", "t"
    settings.CDN_PURGE_URL = "http://127.0.0.1:6081" if choice == "varnish" else ""
    settings.CDN_TIMEOUT = "2"
    assert check_cdn_purge(None) == []


def run_python(code, **env):
    base = {"DJANGO_SECRET_KEY": "x", "PATH": "/usr/bin:/bin", "DJANGO_ALLOWED_HOSTS": "localhost"}
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, cwd=ROOT, capture_output=True, text=True
    )


def test_the_app_refuses_to_start_with_an_incomplete_purge_setting():
    """gunicorn runs no system checks: holr.wsgi refuses to load instead."""
    refused = run_python("import holr.wsgi", HOLR_CDN_PURGE="varnish")
    assert refused.returncode != 0
    assert "pagecache.E004" in refused.stderr and "HOLR_CDN_PURGE_URL" in refused.stderr
    started = run_python(
        "import holr.wsgi; print('ok')", HOLR_CDN_PURGE="varnish", HOLR_CDN_PURGE_URL="http://127.0.0.1:6081"
    )
    assert started.stdout.strip() == "ok", started.stderr


def test_purging_makes_the_cdn_keep_pages_a_day_unless_told_otherwise():
    code = "from holr import settings; print(settings.PAGE_CACHE_S_MAXAGE, settings.CDN_PURGE)"
    assert run_python(code).stdout.split() == ["60", "off"]
    assert run_python(code, HOLR_CDN_PURGE="Fastly").stdout.split() == ["86400", "fastly"]
    assert run_python(code, HOLR_CDN_PURGE="varnish", DJANGO_PAGE_CACHE_S_MAXAGE="600").stdout.split() == [
        "600",
        "varnish",
    ]


# manage.py purge_cdn


def purge_cdn(*args):
    out = io.StringIO()
    call_command("purge_cdn", *args, stdout=out)
    return out.getvalue()


def test_purge_cdn_purges_the_keys_given(provider, fake_cdn):
    assert purge_cdn("article:12", "image:7") == "Purged at fastly: article:12 holr:overflow image:7\n"
    assert fake_cdn.requests[0]["headers"]["surrogate-key"] == "article:12 holr:overflow image:7"


def test_purge_cdn_all_purges_the_site_key(provider, fake_cdn):
    assert purge_cdn("--all") == "Purged at fastly: holr\n"
    assert fake_cdn.requests[0]["headers"]["surrogate-key"] == "holr"


def test_purge_cdn_says_when_the_cdn_refused(provider, fake_cdn, cdn_logs):
    fake_cdn.status = 403
    with pytest.raises(CommandError, match="fastly did not accept the purge of holr"):
        purge_cdn("--all")
    assert "status=HTTP 403" in warnings_of(cdn_logs)[0]


def test_purge_cdn_needs_keys_or_all_and_purging_on(settings, provider, fake_cdn):
    with pytest.raises(CommandError, match="or --all for every page"):
        purge_cdn()
    with pytest.raises(CommandError, match="not both"):
        purge_cdn("article:1", "--all")
    settings.CDN_PURGE = "off"
    with pytest.raises(CommandError, match="CDN purging is off"):
        purge_cdn("--all")
    assert fake_cdn.requests == []


# deploy/varnish.vcl


def test_the_vcl_hands_the_header_purge_sends_to_xkey():
    text = VCL.read_text()
    assert f"xkey.purge(req.http.{cdn.PURGE_HEADER})" in text
    assert 'req.method == "PURGE"' in text
    assert "set beresp.http.xkey = beresp.http.Surrogate-Key;" in text
    for header in ("xkey", "Surrogate-Key", "Cache-Tag"):
        assert f"unset resp.http.{header};" in text


VARNISHD = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
needs_varnish = pytest.mark.skipif(
    VARNISHD is None, reason="varnishd is not installed (make test installs it)"
)


@needs_varnish
def test_the_vcl_compiles():
    result = subprocess.run([VARNISHD, "-C", "-f", str(VCL)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


class Origin(ThreadingHTTPServer):
    """Pages whose keys come from header_values(): /a/ depends on article:1, /b/ on article:2."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), OriginHandler)
        self.hits = []


class OriginHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits.append(self.path)
        body = f"page {self.path} #{len(self.server.hits)}".encode()
        self.send_response(200)
        for name, value in cdn.header_values([f"article:{1 if self.path == '/a/' else 2}"]).items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "public, max-age=0, s-maxage=86400")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def varnish(tmp_path, settings):
    """deploy/varnish.vcl under varnishd on loopback, in front of a fake origin."""
    origin = Origin()
    threading.Thread(target=origin.serve_forever, args=(0.05,), daemon=True).start()
    text = VCL.read_text()
    backend = '.path = "/run/holr/gunicorn.sock";'
    assert text.count(backend) == 1, "deploy/varnish.vcl's backend changed: update this test"
    vcl = tmp_path / "test.vcl"
    vcl.write_text(text.replace(backend, f'.host = "127.0.0.1"; .port = "{origin.server_address[1]}";'))
    port = free_port()
    process = subprocess.Popen(
        [VARNISHD, "-F", "-j", "none", "-n", str(tmp_path / "varnish"), "-a", f"127.0.0.1:{port}"]
        + ["-f", str(vcl), "-s", "malloc,16m"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"varnishd did not start: {process.stderr.read().decode()}") from None
            time.sleep(0.1)
    settings.CDN_PURGE, settings.CDN_PURGE_URL, settings.CDN_TIMEOUT = (
        "varnish",
        f"http://127.0.0.1:{port}",
        "5",
    )
    yield port, origin
    process.terminate()
    process.wait(timeout=30)
    origin.shutdown()
    origin.server_close()


def get(port, path, headers=None, method="GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response, body


@needs_varnish
def test_varnish_keeps_pages_until_purge_removes_exactly_the_pages_with_the_key(varnish):
    port, origin = varnish
    first_a, first_b = get(port, "/a/")[1], get(port, "/b/")[1]
    response, body = get(port, "/a/")
    assert body == first_a, "Varnish did not cache the page"
    assert response.getheader("Surrogate-Key") is None and response.getheader("xkey") is None
    assert response.getheader("Cache-Tag") is None

    assert cdn.purge(["article:1"]) is True
    assert get(port, "/a/")[1] != first_a  # purged: fetched anew
    assert get(port, "/b/")[1] == first_b  # another key: still cached

    assert cdn.purge([cdn.SITE_KEY]) is True
    assert get(port, "/b/")[1] != first_b
    assert origin.hits == ["/a/", "/b/", "/a/", "/b/"]


@needs_varnish
def test_varnish_refuses_a_purge_relayed_by_a_proxy(varnish):
    """Behind nginx every request comes from loopback: a relayed PURGE (with the X-Forwarded-For
    nginx adds) must not pass the address check."""
    port, origin = varnish
    before = get(port, "/a/")[1]
    response, _ = get(
        port, "/", {"xkey-purge": "article:1", "X-Forwarded-For": "203.0.113.9"}, method="PURGE"
    )
    assert response.status == 403
    assert get(port, "/a/")[1] == before
    response, _ = get(port, "/", method="PURGE")
    assert response.status == 400


# The page cache and the CDN together


def purged(fake_cdn):
    return {key for request in fake_cdn.requests for key in request["headers"]["surrogate-key"].split(" ")}


@pytest.fixture
def cached_site(settings, provider):
    settings.PAGE_CACHE = True
    return provider


@pytest.mark.django_db
def test_a_cached_page_carries_its_dependency_keys_for_the_cdn(client, cached_site):
    from tests.builders import make_article

    story = make_article(people=["Ada Lovelace"])
    response = client.get(story.get_absolute_url())
    keys = set(response["Surrogate-Key"].split(" "))
    assert {f"article:{story.pk}", cdn.SITE_KEY} <= keys
    assert set(response["Cache-Tag"].split(",")) == keys
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_without_purging_pages_carry_no_key_headers(client, settings):
    from tests.builders import make_article

    settings.PAGE_CACHE = True
    response = client.get(make_article().get_absolute_url())
    assert "Surrogate-Key" not in response
    assert "Cache-Tag" not in response


@pytest.mark.django_db
def test_an_edit_purges_its_keys_once_committed(cached_site, fake_cdn, django_capture_on_commit_callbacks):
    from tests.builders import make_article

    story = make_article()
    fake_cdn.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story.dek = "A sharper standfirst."
        story.save()
        assert fake_cdn.requests == []  # nothing before the commit
    assert {f"article:{story.pk}", "articles:edited"} <= purged(fake_cdn)
    assert cdn.SITE_KEY not in purged(fake_cdn)


@pytest.mark.django_db
def test_publishing_purges_the_listings_and_the_story(
    cached_site, fake_cdn, django_capture_on_commit_callbacks
):
    from articles.models import Status
    from tests.builders import make_article

    draft = make_article(status=Status.DRAFT, published_at=None)
    fake_cdn.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Status.PUBLISHED
        draft.save()
    assert {f"article:{draft.pk}", "articles:listed"} <= purged(fake_cdn)
    assert cdn.SITE_KEY not in purged(fake_cdn)


@pytest.mark.django_db
def test_a_new_slug_purges_the_site_key(cached_site, fake_cdn, django_capture_on_commit_callbacks):
    from tests.builders import make_article

    story = make_article()
    fake_cdn.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story.slug = "a-new-address"
        story.save()
    assert cdn.SITE_KEY in purged(fake_cdn)


@pytest.mark.django_db
def test_a_draft_save_purges_nothing(cached_site, fake_cdn, django_capture_on_commit_callbacks):
    from articles.models import Status
    from tests.builders import make_article

    draft = make_article(status=Status.DRAFT, published_at=None)
    fake_cdn.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Still a draft"
        draft.save()
    assert fake_cdn.requests == []


@pytest.mark.django_db
def test_a_scheduled_article_coming_due_purges_the_site_even_with_no_reader(
    cached_site, fake_cdn, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from pagecache import versions
    from tests.builders import make_article
    from webhooks.delivery import deliver_due

    make_article(published_at=timezone.now() + timedelta(minutes=5))
    versions.current()  # the schedule learns the time
    fake_cdn.requests.clear()
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_due()  # the webhook worker's pass, every few seconds
    assert cdn.SITE_KEY in purged(fake_cdn)


@pytest.mark.django_db
def test_a_purge_reaches_pages_that_depend_on_the_whole_kind(
    cached_site, fake_cdn, django_capture_on_commit_callbacks
):
    from pagecache import versions

    with django_capture_on_commit_callbacks(execute=True):
        versions.retire({"article:12"})
    assert {"article:12", cdn.clean_key("article:*")} <= purged(fake_cdn)  # as the page's header says it
