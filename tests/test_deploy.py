"""The single-server deploy: deploy/nginx/holr.conf in front of gunicorn run as deploy/systemd/holr.service.

Debian's nginx runs the shipped site config on loopback, with only its paths, ports and
certificate swapped for the test's (each swap must match the file exactly once, so the
test fails if the config drifts from what it checks). gunicorn runs with the unit's own
arguments, production settings and DJANGO_HTTPS=1, on a SQLite file of its own: these
servers are other processes, which cannot see the test database. `make test` installs
nginx as it installs Chromium.
"""

import gzip
import http.client
import json
import os
import pwd
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parent.parent
SITE_CONFIG = ROOT / "deploy" / "nginx" / "holr.conf"
UNIT = ROOT / "deploy" / "systemd" / "holr.service"
SITE_NAME = "Deploy Test Magazine"
PASSWORD = "a-long-test-password"

SEED = f"""
import json
from django.contrib.auth.models import User
from tests.builders import make_article, make_image
image = make_image(width=1600, height=900)
article = make_article(title="Deployed story", slug="deployed-story", lead_image=image, dek="Words " * 60)
User.objects.create_superuser("editor", "editor@example.com", "{PASSWORD}")
renditions = image.renditions
print(json.dumps({{"article": article.get_absolute_url(), "original": image.file.url,
                  "rendition": renditions.jpeg[0].url, "share": renditions.share.url}}))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def swap(text, old, new, count=1):
    assert text.count(old) == count, f"deploy/nginx/holr.conf no longer has {old!r} {count} time(s)"
    return text.replace(old, new)


def site_config(tmp, ports, cert, key):
    """The shipped site config with the test's paths and loopback ports."""
    text = SITE_CONFIG.read_text()
    text = swap(text, "server unix:/run/holr/gunicorn.sock", f"server unix:{tmp}/gunicorn.sock")
    text = swap(text, "alias /srv/holr/media/;", f"alias {tmp}/media/;")
    text = swap(text, "alias /srv/holr/error-pages/;", f"alias {tmp}/error-pages/;")
    text = swap(text, "root /var/www/letsencrypt;", f"root {tmp}/acme;")
    text = swap(text, "/etc/letsencrypt/live/magazine.example.org/fullchain.pem", str(cert))
    text = swap(text, "/etc/letsencrypt/live/magazine.example.org/privkey.pem", str(key))
    text = swap(text, "    listen 80;\n", f"    listen 127.0.0.1:{ports['http']};\n")
    text = swap(text, "    listen [::]:80;\n", "")
    https = f"listen 127.0.0.1:{ports['https']} ssl http2 default_server;"
    text = swap(text, "listen 443 ssl http2 default_server;", https)
    text = swap(text, "    listen [::]:443 ssl http2 default_server;\n", "")
    return text


def main_config(tmp):
    """What Debian's /etc/nginx/nginx.conf provides around a site, with every path in `tmp`."""
    user = pwd.getpwuid(os.getuid()).pw_name
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = " ".join(f"{kind}_temp_path {tmp}/nginx-{kind};" for kind in kinds)
    return f"""
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
{"user " + user + ";" if os.getuid() == 0 else ""}
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/nginx-access.log;
    {temp}
    include {tmp}/holr.conf;
}}
"""


def gunicorn_command(tmp):
    """The unit's ExecStart, with this Python's gunicorn and the test's socket."""
    exec_start = next(line for line in UNIT.read_text().splitlines() if line.startswith("ExecStart="))
    argv = shlex.split(exec_start.removeprefix("ExecStart="))
    assert argv[0].endswith("/gunicorn") and "--no-control-socket" in argv
    argv = [sys.executable, "-m", "gunicorn", *argv[1:]]
    argv[argv.index("--bind") + 1] = f"unix:{tmp}/gunicorn.sock"
    argv[argv.index("--workers") + 1] = "2"
    return argv


def wait_until(ready, process, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start in {seconds} s")


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Site:
    def __init__(self, tmp, ports, cert, env):
        self.tmp, self.ports, self.env = tmp, ports, env
        self.tls = ssl.create_default_context(cafile=str(cert))
        self.gunicorn = None

    def start_gunicorn(self):
        socket_path = self.tmp / "gunicorn.sock"
        socket_path.unlink(missing_ok=True)
        with open(self.tmp / "gunicorn.log", "ab") as log:  # gunicorn keeps its own copy
            self.gunicorn = subprocess.Popen(
                gunicorn_command(self.tmp), cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        wait_until(socket_path.exists, self.gunicorn, "gunicorn")

    def stop_gunicorn(self):
        self.gunicorn.terminate()
        self.gunicorn.wait(timeout=30)

    def request(self, path, headers=None, method="GET", body=None, https=True):
        """(status, headers, raw body): no redirect followed, nothing decompressed."""
        if https:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.ports["https"], context=self.tls, timeout=20
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.ports["http"], timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if nginx is None:
        pytest.fail(
            "The deploy test needs Debian's nginx. "
            "Run `make test` (it installs it) or: sudo apt-get install -y nginx",
            pytrace=False,
        )
    tmp = tmp_path_factory.mktemp("deploy")
    ports = {"http": free_port(), "https": free_port()}
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "DJANGO_SETTINGS_MODULE": "tests.serving_settings",
        "DJANGO_SECRET_KEY": "deploy-test-key",
        "DJANGO_HTTPS": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # nginx passes $host, without the port: the browser's origin has the test's port.
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{ports['https']}",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
        "MEDIA_ROOT": str(tmp / "media"),
        "SITE_URL": f"https://127.0.0.1:{ports['https']}",
        "SITE_NAME": SITE_NAME,
    }

    def manage(*args):
        command = [sys.executable, "manage.py", *args]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    urls = json.loads(manage("shell", "-c", SEED).strip().splitlines()[-1])
    manage("render_error_pages", str(tmp / "error-pages"))
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    (tmp / "holr.conf").write_text(site_config(tmp, ports, cert, key))
    (tmp / "nginx.conf").write_text(main_config(tmp))
    nginx_command = [nginx, "-p", str(tmp), "-e", str(tmp / "nginx-error.log"), "-c", str(tmp / "nginx.conf")]
    tested = subprocess.run([*nginx_command, "-t"], capture_output=True, text=True)
    assert tested.returncode == 0, tested.stderr

    site = Site(tmp, ports, cert, env)
    site.urls = urls
    proxy = None
    try:
        site.start_gunicorn()
        proxy = subprocess.Popen(nginx_command, stderr=subprocess.PIPE)
        wait_until(lambda: accepts(ports["https"]) and accepts(ports["http"]), proxy, "nginx")
        yield site
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=30)
        if site.gunicorn is not None and site.gunicorn.poll() is None:
            site.stop_gunicorn()


def test_images_are_served_by_nginx_with_a_year_long_cache(site):
    status, _, page = site.request(site.urls["article"])
    assert status == 200
    assert site.urls["rendition"].encode() in page  # the page points at what nginx serves
    for key in ("original", "rendition", "share"):
        status, headers, body = site.request(site.urls[key], {"Accept-Encoding": "gzip"})
        assert status == 200, key
        assert headers["Content-Type"] == "image/jpeg"
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Content-Encoding" not in headers
        assert body.startswith(b"\xff\xd8")  # a JPEG, straight from the disk
    assert site.request("/media/renditions/nothing/320.jpg")[0] == 404


@pytest.mark.parametrize("page", ["home", "article"])
def test_html_is_gzipped_from_the_page_cache_and_served_plain_when_not_accepted(site, page):
    path = "/" if page == "home" else site.urls["article"]
    plain_status, plain_headers, plain = site.request(path)
    assert plain_status == 200
    assert "Content-Encoding" not in plain_headers
    served_from = set()
    for _ in range(8):  # each of the two workers has its own page cache
        status, headers, body = site.request(path, {"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in headers["Vary"]
        assert gzip.decompress(body) == plain
        assert len(body) < len(plain) / 3
        served_from.add(headers["X-Page-Cache"])
    assert "hit" in served_from  # compressed by the app once, passed on by nginx as it is


def test_html_the_page_cache_does_not_keep_is_gzipped_by_nginx(site):
    status, headers, body = site.request("/articles/no-such-story/", {"Accept-Encoding": "gzip"})
    assert status == 404
    assert headers["Content-Encoding"] == "gzip"
    assert b"We couldn't find that page" in gzip.decompress(body)


def test_admin_cookies_are_secure_and_admin_pages_never_compressed(site):
    status, headers, body = site.request("/admin/login/", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert "Content-Encoding" not in headers  # it carries the CSRF token (BREACH)
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    csrf_cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    assert "; Secure" in csrf_cookie and "; HttpOnly" in csrf_cookie
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode(
        {"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/admin/"}
    )
    status, headers, _ = site.request(
        "/admin/login/",
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": csrf_cookie.split(";")[0],
            "Referer": f"https://127.0.0.1:{site.ports['https']}/admin/login/",
        },
        method="POST",
        body=form,
    )
    assert status == 302, "the editor could not sign in through nginx"
    session_cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("sessionid="))
    assert "; Secure" in session_cookie and "; HttpOnly" in session_cookie
    status, headers, body = site.request(
        "/admin/", {"Cookie": session_cookie.split(";")[0], "Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert "Content-Encoding" not in headers
    assert b"Log out" in body


def test_plain_http_moves_to_https(site):
    status, headers, _ = site.request("/articles/deployed-story/?x=1", https=False)
    assert status == 301
    assert headers["Location"] == "https://127.0.0.1/articles/deployed-story/?x=1"


def is_designed_414(status, body):
    text = body.decode()
    return (
        status == 414
        and '<p class="kicker">Error 414</p>' in text
        and SITE_NAME in text
        and "<style>" in text  # the stylesheet travels inside the page
        and "nginx" not in text
    )


def test_a_search_address_of_4_kb_reaches_the_search_page(site):
    """A long search is not an error: the app reads its first 200 characters."""
    status, _, body = site.request("/search/?q=" + quote("putin " * 800))  # 4.8 KB
    assert status == 200
    assert b"Your search was long, so only its first 200 characters were used." in body


@pytest.mark.parametrize("size", [9_000, 20_000])
def test_a_search_address_over_8_kb_gets_the_designed_414_page(site, size):
    status, _, body = site.request("/search/?q=" + "a" * size)
    assert is_designed_414(status, body), body[:300]


def test_no_address_length_meets_a_bare_error_at_the_limit(site):
    """Around nginx's 8 KB limit: the search page or the designed 414, never gunicorn's bare 400."""
    prefix = "/search/?q="
    answers = set()
    for length in range(8150, 8200, 3):
        status, _, body = site.request(prefix + "a" * (length - len(prefix)))
        assert status == 200 or is_designed_414(status, body), (length, status, body[:200])
        answers.add(status)
    assert answers == {200, 414}  # the range spans the limit


def test_an_oversized_cookie_gets_the_designed_page(site):
    status, _, body = site.request("/", {"Cookie": "junk=" + "x" * 9000})
    assert status == 400
    assert '<p class="kicker">Error 414</p>' in body.decode()


def test_with_gunicorn_down_readers_get_the_designed_502_page(site):
    site.stop_gunicorn()
    try:
        status, _, body = site.request("/")
        assert status == 502
        assert SITE_NAME.encode() in body and b"We will be back in a moment" in body
    finally:
        site.start_gunicorn()
    assert site.request("/")[0] == 200


def test_render_error_pages_writes_standalone_pages_with_the_stylesheet_inside(tmp_path, settings):
    settings.SITE_NAME = "Render Test Magazine"
    call_command("render_error_pages", str(tmp_path / "pages"), verbosity=0)

    stylesheet = Path(finders.find("css/holr.css")).read_text()
    assert sorted(path.name for path in (tmp_path / "pages").iterdir()) == ["414.html", "502.html"]
    for name, kicker in (("414.html", "Error 414"), ("502.html", "Error 503")):
        page = (tmp_path / "pages" / name).read_text()
        assert f'<p class="kicker">{kicker}</p>' in page
        assert "Render Test Magazine" in page
        assert f"<style>{stylesheet}</style>" in page
        assert 'rel="stylesheet"' not in page
        assert '<html lang="en-gb">' in page or name == "502.html"


def test_render_error_pages_says_clearly_when_it_cannot_write(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(CommandError, match="Cannot write the error pages to"):
        call_command("render_error_pages", str(blocker / "pages"), verbosity=0)
