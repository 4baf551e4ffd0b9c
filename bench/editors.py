"""Editors for the load benchmarks: staff who work through the real admin over HTTP.

Used by bench/load.py (`make loadtest`) and bench/editing.py (`make bench-editing`). Each
editor is a thread with its own admin session (its own user) that, every `interval`
seconds, opens a form as a browser would, changes what it changes and submits it:

- `Drafter`: saves a draft article with a new dek, body and person (no reader sees it);
- `Reviser`: saves a published article with a new dek and body, keeping its address,
  time and section;
- `Publisher`: adds a new article, published at once.

Every save the admin acknowledges (a redirect) is counted; `VERIFY` checks afterwards, in
the database, that each acknowledged save is in the admin log under that editor and that
the last value sent is the one stored.
"""

import http.cookiejar
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

# Run with `manage.py shell -c` and EDITORS_PASSWORD, EDITORS_USERS (comma-separated):
# each user a superuser with that password.
PREPARE_USERS = """
import os
from django.contrib.auth import get_user_model
User = get_user_model()
for username in os.environ["EDITORS_USERS"].split(","):
    user = User.objects.filter(username=username).first() or User(username=username, email=f"{username}@example.com")
    user.is_staff = user.is_superuser = True
    user.set_password(os.environ["EDITORS_PASSWORD"])
    user.save()
"""

# Run with `manage.py shell -c` and EDITORS_REPORT: the JSON of `Editor.report()` for each
# editor. Prints, for each, the admin log entries it made since it started and whether
# the last value it sent is stored.
VERIFY = """
import json, os
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from articles.models import Article
checked = []
for editor in json.loads(os.environ["EDITORS_REPORT"]):
    entries = LogEntry.objects.filter(
        user__username=editor["user"], content_type__app_label="articles", content_type__model="article",
        action_flag=ADDITION if editor["adds"] else CHANGE, action_time__gte=editor["since"],
    )
    last = editor["last_sent"]
    if last is None:
        stored = False
    elif editor["adds"]:
        stored = Article.objects.published().filter(slug=last["slug"], title=last["title"]).exists()
    else:
        article = Article.objects.get(pk=editor["article"])
        stored = article.dek == last["dek"] and last["marker"] in article.body
    checked.append({"name": editor["name"], "logged": entries.count(), "last_stored": stored})
print(json.dumps(checked))
"""


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
            name, value = self._textarea
            # As browsers do: a newline right after <textarea> is not part of the value.
            self.fields.append((name, value.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.in_form = False


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class AdminSession:
    """One signed-in browser: cookies kept, redirects reported rather than followed."""

    def __init__(self, base, username, password):
        self.base, self.username, self.password = base, username, password
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects
        )

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
        fields.update(username=self.username, password=self.password, next="/admin/")
        status, _ = self.request("/admin/login/", fields)
        if status != 302:
            raise RuntimeError(f"{self.username} could not sign in (answer {status})")

    def submit(self, path, form_id, changes):
        """Open the form at `path`, replace the fields in `changes`, and save it."""
        fields = [(k, v) for k, v in self.form(path, form_id) if k not in changes]
        status, html = self.request(path, [*fields, *changes.items(), ("_continue", "Save and continue")])
        if status != 302:
            raise RuntimeError(f"answer {status}" + (" (form errors)" if "errornote" in html else ""))


class Editor(threading.Thread):
    """Signs in, then makes one save every `interval` seconds until `stop` is set."""

    name_prefix = "editor"
    adds = False  # whether each save adds an article (else it changes `article`)

    def __init__(self, base, username, password, article=None, interval=1.0):
        super().__init__(daemon=True, name=f"{self.name_prefix} {username}")
        self.session = AdminSession(base, username, password)
        self.article, self.interval = article, interval
        self.stop = threading.Event()
        self.attempted = self.landed = 0
        self.failures, self.last_sent = [], None
        self.seconds = []  # how long each acknowledged save took: opening the form, submitting it
        self.since = None
        self.original_body = self.original_people = None

    def run(self):
        self.since = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
        try:
            self.session.log_in()
        except Exception as error:  # reported as a failed editor
            self.failures.append(f"login: {error}")
            return
        n = 0
        while not self.stop.is_set():
            started = time.monotonic()
            n += 1
            self.attempted += 1
            try:
                sent = self.save(n)
            except Exception as error:
                self.failures.append(f"save {n}: {error}")
            else:
                self.landed += 1
                self.last_sent = sent
                self.seconds.append(time.monotonic() - started)
            self.stop.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def save(self, n):
        raise NotImplementedError

    def revise(self, n, **changes):
        """A new dek, and the body as it was with one paragraph of this save's own (and `changes`)."""
        path = f"/admin/articles/article/{self.article}/change/"
        if self.original_body is None:
            self.original_body = dict(self.session.form(path, "article_form")).get("body", "")
        marker = f"Load-test edit {n} by {self.session.username}."
        sent = {
            "dek": f"Load-test save {n}: {self.session.username} keeps working while readers read.",
            "marker": marker,
        }
        body = f"{self.original_body}<p>{marker}</p>"
        self.session.submit(path, "article_form", {"dek": sent["dek"], "body": body, **changes})
        return sent

    @property
    def ok(self):
        return not self.failures and self.landed == self.attempted > 0

    def report(self):
        return {
            "name": self.name,
            "user": self.session.username,
            "adds": self.adds,
            "article": self.article,
            "since": self.since,
            "last_sent": self.last_sent,
        }


class Drafter(Editor):
    """Saves a draft with a new dek and body, and tags it with a new person each time (a new
    tag, its through row): no reader can see any of it, so no cached page should be retired."""

    name_prefix = "drafter"

    def save(self, n):
        if self.original_people is None:
            path = f"/admin/articles/article/{self.article}/change/"
            self.original_people = dict(self.session.form(path, "article_form")).get("people", "")
        person = f"Drafted Person {self.session.username} {int(time.time())}-{n}"
        return self.revise(n, people=", ".join(filter(None, [self.original_people, person])))


class Reviser(Editor):
    """Saves a published article's dek and body: its address, time and section stay."""

    name_prefix = "reviser"
    save = Editor.revise


class Publisher(Editor):
    """Adds a new article, published now, in the first section."""

    name_prefix = "publisher"
    adds = True

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.run_id = f"{int(time.time())}"

    def save(self, n):
        title = f"Load test {self.run_id}: breaking story {n}"
        slug = f"load-test-{self.run_id}-{n}"
        self.session.submit(
            "/admin/articles/article/add/",
            "article_form",
            {
                "title": title,
                "slug": slug,
                "dek": f"Published by {self.session.username} while readers read.",
                "body": f"<p>Story {n}, published during a load test.</p>",
                "section": str(self.section),
                "status": "published",
            },
        )
        return {"title": title, "slug": slug}
