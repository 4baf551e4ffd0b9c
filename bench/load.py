#!/usr/bin/env python3
"""Load test: 64 readers for 60 s against gunicorn while an editor saves an article every second.

    python bench/load.py [--duration 60] [--connections 64] [--port 8180] [--database-url URL]
    make loadtest LOADTEST_ARGS="--duration 30"

Builds a throwaway site (a fresh SQLite database in a temporary folder unless
--database-url names another, migrated and loaded with the demo magazine), serves it
with gunicorn on loopback, and runs wrk (the Debian package) over a mix of pages with
bench/load.lua. Meanwhile an editor signs in to the admin and, every second, opens an
article's change form and saves it with a new dek. Afterwards the database is checked:
every save the admin acknowledged must be in its log, and the article must hold the
last dek sent. Prints requests/s, latency, errors and saves; exits 1 unless there were
no errors, no 5xx and every save landed.
"""

import argparse
import http.cookiejar
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
EDITOR = "load-editor"

PREPARE = """
import json, os
from django.contrib.auth import get_user_model
from articles.models import Article, Author, Section
from articles.vocabularies import VOCABULARIES
User = get_user_model()
if not User.objects.filter(username="load-editor").exists():
    User.objects.create_superuser("load-editor", "load@example.com", os.environ["LOAD_EDITOR_PASSWORD"])
else:
    user = User.objects.get(username="load-editor"); user.set_password(os.environ["LOAD_EDITOR_PASSWORD"]); user.save()
published = Article.objects.published()
paths = ["/", "/?page=1"] + [article.get_absolute_url() for article in published]
for key, vocabulary in VOCABULARIES.items():
    paths.append(f"/{key}/")
    paths += [tag.get_absolute_url() for tag in vocabulary.model.objects.filter(tagged_articles__content_object__in=published).distinct()]
paths += [section.get_absolute_url() for section in Section.objects.all()]
paths += [author.get_absolute_url() for author in Author.objects.filter(articles__in=published).distinct()]
print(json.dumps({"paths": paths, "article": published.order_by("pk").first().pk}))
"""

VERIFY = """
import json, os
from django.contrib.admin.models import CHANGE, LogEntry
from articles.models import Article
pk = int(os.environ["LOAD_ARTICLE"])
since = os.environ["LOAD_SINCE"]
changes = LogEntry.objects.filter(content_type__app_label="articles", content_type__model="article",
                                  object_id=str(pk), action_flag=CHANGE, action_time__gte=since)
print(json.dumps({"dek": Article.objects.get(pk=pk).dek, "logged_saves": changes.count()}))
"""


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args[:1])} failed:\n{result.stderr}")
    return result.stdout


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with id `form_id` (no file inputs)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.in_form, self.fields = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_form = a.get("id") == self.form_id
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = a.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = [name, ""]
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.in_form = False


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Editor(threading.Thread):
    """Signs in, then saves the article with a new dek once a second until told to stop."""

    def __init__(self, base, article, password):
        super().__init__(daemon=True)
        self.base, self.article, self.password = base, article, password
        self.stop = threading.Event()
        self.attempted = self.landed = 0
        self.failures, self.last_dek = [], None
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)
        self.jar = jar

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def form(self, path, form_id):
        status, html = self.request(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        parser = FormFields(form_id)
        parser.feed(html)
        return parser.fields

    def log_in(self):
        fields = dict(self.form("/admin/login/", "login-form"))
        fields.update(username=EDITOR, password=self.password, next="/admin/")
        status, _ = self.request("/admin/login/", fields)
        if status != 302:
            raise RuntimeError(f"the editor could not sign in (answer {status})")

    def save_once(self, n):
        path = f"/admin/articles/article/{self.article}/change/"
        fields = [(k, v) for k, v in self.form(path, "article_form") if k != "dek"]
        dek = f"Load-test save {n}: the editor keeps working while readers read."
        status, html = self.request(path, [*fields, ("dek", dek), ("_continue", "Save and continue editing")])
        if status == 302:
            self.landed += 1
            self.last_dek = dek
        else:
            self.failures.append(
                f"save {n}: answer {status}" + (" (form errors)" if "errornote" in html else "")
            )

    def run(self):
        try:
            self.log_in()
        except Exception as error:  # reported below as a failed editor
            self.failures.append(f"login: {error}")
            return
        n = 0
        while not self.stop.is_set():
            started = time.monotonic()
            n += 1
            self.attempted += 1
            try:
                self.save_once(n)
            except Exception as error:
                self.failures.append(f"save {n}: {error}")
            self.stop.wait(max(0.0, 1.0 - (time.monotonic() - started)))


def wait_until_serving(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn exited during start-up; see its log above.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer {url} within {timeout} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--connections", type=int, default=64, help="concurrent readers (default 64)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--port", type=int, default=8180)
    parser.add_argument(
        "--database-url",
        help="a database to use instead of a fresh SQLite file; it is migrated "
        "and gets the demo content and a 'load-editor' superuser",
    )
    parser.add_argument("--cache-url", help="e.g. redis://127.0.0.1:6379/9 (default: per-process memory)")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: sudo apt-get install -y wrk")
    gunicorn = Path(sys.executable).with_name("gunicorn")

    with tempfile.TemporaryDirectory(prefix="holr-load-") as scratch:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL"}}
        env.update(
            DJANGO_SETTINGS_MODULE="holr.settings",
            DJANGO_DEBUG="0",
            DJANGO_HTTPS="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=options.database_url or f"sqlite:///{scratch}/load.sqlite3",
            MEDIA_ROOT=f"{scratch}/media",
            LOAD_EDITOR_PASSWORD=secrets.token_urlsafe(16),
        )
        if options.cache_url:
            env["CACHE_URL"] = options.cache_url
        database = env["DATABASE_URL"].split(":", 1)[0]
        print(f"Preparing the site ({database}): migrate, demo content, static files…", flush=True)
        manage(env, "migrate", "-v0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput", "-v0")
        site = json.loads(manage(env, "shell", "--no-imports", "-c", PREPARE).strip().splitlines()[-1])
        since = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())

        base = f"http://127.0.0.1:{options.port}"
        log_path = Path(scratch, "gunicorn.log")
        with log_path.open("w") as log:
            server = subprocess.Popen(
                [
                    str(gunicorn),
                    "holr.wsgi",
                    "--bind",
                    f"127.0.0.1:{options.port}",
                    "--workers",
                    str(options.workers),
                    "--threads",
                    str(options.threads),
                    "--worker-class",
                    "gthread",
                    "--no-control-socket",
                    "--log-level",
                    "warning",
                ],
                cwd=PROJECT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_serving(base + "/", server)
            editor = Editor(base, site["article"], env["LOAD_EDITOR_PASSWORD"])
            editor.start()
            print(
                f"Load: {options.connections} readers for {options.duration} s over {len(site['paths'])} pages, "
                f"an editor saving article {site['article']} every second…",
                flush=True,
            )
            wrk = subprocess.run(
                [
                    "wrk",
                    f"-t{options.wrk_threads}",
                    f"-c{options.connections}",
                    f"-d{options.duration}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(PROJECT / "bench" / "load.lua"),
                    base,
                    "--",
                    *site["paths"],
                ],
                capture_output=True,
                text=True,
            )
            editor.stop.set()
            editor.join(timeout=60)
        finally:
            server.terminate()
            server.wait(timeout=30)
        lines = [line for line in wrk.stdout.splitlines() if line.startswith("HOLR-LOAD ")]
        if wrk.returncode or not lines:
            sys.exit(f"wrk failed:\n{wrk.stdout}\n{wrk.stderr}")
        figures = json.loads(lines[-1].removeprefix("HOLR-LOAD "))
        verify_env = {**env, "LOAD_ARTICLE": str(site["article"]), "LOAD_SINCE": since}
        stored = json.loads(
            manage(verify_env, "shell", "--no-imports", "-c", VERIFY).strip().splitlines()[-1]
        )
        server_log = log_path.read_text()

    report(options, database, figures, editor, stored, server_log)


def report(options, database, f, editor, stored, server_log):
    def ms(us):
        return f"{us / 1000:.1f} ms"

    seconds = f["duration_us"] / 1e6
    socket_errors = f["connect_errors"] + f["read_errors"] + f["write_errors"] + f["timeouts"]
    tracebacks = server_log.count("Traceback")
    saves_ok = (
        not editor.failures
        and editor.landed == editor.attempted > 0
        and stored["logged_saves"] == editor.landed
        and stored["dek"] == editor.last_dek
    )
    passed = (
        f["server_errors"] == 0
        and f["client_errors"] == 0
        and socket_errors == 0
        and saves_ok
        and not tracebacks
    )
    print(f"""
HOLR load test · gunicorn {options.workers} workers × {options.threads} threads on 127.0.0.1:{options.port} · {database}
  readers        {options.connections} connections for {seconds:.1f} s (wrk, {options.wrk_threads} threads)
  requests       {f["requests"]} · {f["requests"] / seconds:.1f} requests/s
  latency        mean {ms(f["latency_mean_us"])} · p50 {ms(f["latency_p50_us"])} · p90 {ms(f["latency_p90_us"])} · p99 {ms(f["latency_p99_us"])} · max {ms(f["latency_max_us"])}
  responses      2xx {f["ok"]} · 3xx {f["redirects"]} · 4xx {f["client_errors"]} · 5xx {f["server_errors"]}
  socket errors  connect {f["connect_errors"]} · read {f["read_errors"]} · write {f["write_errors"]} · timeout {f["timeouts"]}
  server log     {tracebacks} tracebacks
  editor saves   {editor.attempted} attempted · {editor.landed} acknowledged · {stored["logged_saves"]} in the admin log · last dek stored: {"yes" if stored["dek"] == editor.last_dek else "NO"}
  result         {"PASS" if passed else "FAIL"}""")
    for failure in editor.failures[:10]:
        print(f"  editor: {failure}")
    if tracebacks:
        print(server_log[-3000:])
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
