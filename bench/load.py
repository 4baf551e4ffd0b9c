#!/usr/bin/env python3
"""Load test: readers against gunicorn, first quiet, then while three editors work in the admin.

    python bench/load.py [--duration 60] [--quiet 20] [--connections 64] [--port 8180]
                         [--database-url URL] [--cache-url URL] [--log-misses]
    make loadtest LOADTEST_ARGS="--duration 30"

Builds a throwaway site (a fresh SQLite database in a temporary folder unless
--database-url names another, migrated and loaded with the demo magazine), serves it
with gunicorn on loopback, requests every page once, and runs wrk (the Debian package)
over a mix of pages with bench/load.lua: first --quiet seconds with nobody editing, then
--duration seconds while three editors sign in to the admin (bench/editors.py) and work
through its forms: one saves a draft every second, one saves a published story's dek and
body every second, one publishes a new article every --publish-every seconds.

Afterwards the database is checked: every save the admin acknowledged must be in its log
under that editor, and the last value each editor sent must be the one stored. Prints
requests/s, latency, errors, the page cache's hit ratio, each editor's saves and, with
--cache-url (Redis), the content version's steps while they worked and what each retired;
--log-misses turns on gunicorn's access log and adds the pages that missed and the
server's own time for a hit and a miss, apart from the readers' queueing. Exits 1
unless there were no errors, no 5xx, every save landed, and the readers' p99 with the
editors at work stayed within 4× the quiet p99.
"""

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from editors import PREPARE_USERS, VERIFY, Drafter, Publisher, Reviser
from readers import (
    STEPS,
    hit_ratio,
    manage,
    read,
    serve,
    server_times,
    shell_json,
    socket_errors,
    stop,
    tally,
    wait_until_serving,
    warm,
)

EDITORS = {"drafter": "load-drafter", "reviser": "load-editor", "publisher": "load-publisher"}
P99_OVER_QUIET_MAX = 4

PREPARE = """
import json
from articles.models import Article, Author, Section, Status
from articles.vocabularies import VOCABULARIES
published = Article.objects.published()
paths = ["/", "/?page=1"] + [article.get_absolute_url() for article in published]
for key, vocabulary in VOCABULARIES.items():
    paths.append(f"/{key}/")
    paths += [tag.get_absolute_url() for tag in vocabulary.model.objects.filter(tagged_articles__content_object__in=published).distinct()]
paths += [section.get_absolute_url() for section in Section.objects.all()]
paths += [author.get_absolute_url() for author in Author.objects.filter(articles__in=published).distinct()]
section = Section.objects.order_by("position", "pk").first()
draft = Article.objects.filter(status=Status.DRAFT).order_by("pk").first() or Article.objects.create(
    title="Load-test draft", slug="load-test-draft", dek="Not yet.", body="<p>Work in progress.</p>",
    status=Status.DRAFT, section=section,
)
print(json.dumps({"paths": paths, "article": published.order_by("pk").first().pk, "draft": draft.pk,
                  "section": section.pk}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=int, default=60, help="seconds of load with the editors (default 60)"
    )
    parser.add_argument(
        "--quiet", type=int, default=20, help="seconds of load before, nobody editing (default 20)"
    )
    parser.add_argument("--connections", type=int, default=64, help="concurrent readers (default 64)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument(
        "--publish-every", type=float, default=5, help="seconds between new articles (default 5)"
    )
    parser.add_argument("--port", type=int, default=8180)
    parser.add_argument(
        "--database-url",
        help="a database to use instead of a fresh SQLite file; it is migrated "
        "and gets the demo content and three 'load-*' superusers",
    )
    parser.add_argument("--cache-url", help="e.g. redis://127.0.0.1:6379/9 (default: per-process memory)")
    parser.add_argument(
        "--log-misses",
        action="store_true",
        help="gunicorn's access log on: the pages that missed, and the server's time for hits and misses",
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: sudo apt-get install -y wrk")

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
            EDITORS_PASSWORD=secrets.token_urlsafe(16),
            EDITORS_USERS=",".join(EDITORS.values()),
        )
        if options.cache_url:
            env["CACHE_URL"] = options.cache_url
        database = env["DATABASE_URL"].split(":", 1)[0]
        print(f"Preparing the site ({database}): migrate, demo content, static files…", flush=True)
        manage(env, "migrate", "-v0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "shell", "--no-imports", "-c", PREPARE_USERS)
        site = shell_json(env, PREPARE)

        base = f"http://127.0.0.1:{options.port}"
        log_path = Path(scratch, "gunicorn.log")
        access_log = Path(scratch, "access.log") if options.log_misses else None
        with log_path.open("w") as log:
            server = serve(
                env, options.port, options.workers, log, threads=options.threads, access_log=access_log
            )
        try:
            wait_until_serving(base + "/", server)
            warm(base, site["paths"])
            # Per-process caches (the default) fill in each worker: a few seconds more of warming.
            read(base, site["paths"], 5, options.connections, options.wrk_threads)
            print(
                f"Quiet: {options.connections} readers for {options.quiet} s over {len(site['paths'])} pages…",
                flush=True,
            )
            quiet = read(base, site["paths"], options.quiet, options.connections, options.wrk_threads)
            password = env["EDITORS_PASSWORD"]
            editors = [
                Drafter(base, EDITORS["drafter"], password, article=site["draft"]),
                Reviser(base, EDITORS["reviser"], password, article=site["article"]),
                Publisher(
                    base,
                    EDITORS["publisher"],
                    password,
                    section=site["section"],
                    interval=options.publish_every,
                ),
            ]
            busy_from = access_log.stat().st_size if access_log else 0
            busy_started = datetime.now(UTC)
            for editor in editors:
                editor.start()
            print(
                f"Load: the same readers for {options.duration} s while three editors work: draft "
                f"{site['draft']} and published article {site['article']} saved every second, "
                f"a new article every {options.publish_every:g} s…",
                flush=True,
            )
            busy = read(base, site["paths"], options.duration, options.connections, options.wrk_threads)
            busy_ended = datetime.now(UTC)
            busy_to = access_log.stat().st_size if access_log else 0
            for editor in editors:
                editor.stop.set()
            for editor in editors:
                editor.join(timeout=60)
        finally:
            stop(server)
        report_env = {**env, "EDITORS_REPORT": json.dumps([editor.report() for editor in editors])}
        stored = shell_json(report_env, VERIFY)
        steps = None
        if options.cache_url:  # with a per-process cache the log is in the database: not read here
            steps = shell_json({**env, "STEPS_SINCE": busy_started.isoformat()}, STEPS)
            steps = [step for step in steps if datetime.fromisoformat(step[1]) < busy_ended]
        misses = tally(access_log, busy_from, busy_to) if access_log else None
        server_log = log_path.read_text()

    report(options, database, quiet, busy, editors, stored, server_log, steps, misses)


def report(options, database, quiet, f, editors, stored, server_log, steps, misses):
    def ms(us):
        return f"{us / 1000:.1f} ms"

    seconds = f["duration_us"] / 1e6
    tracebacks = server_log.count("Traceback")
    errors_free = all(
        figures["server_errors"] == 0 and figures["client_errors"] == 0 and socket_errors(figures) == 0
        for figures in (quiet, f)
    )
    saves = []
    for editor, checked in zip(editors, stored, strict=True):
        holds = editor.ok and checked["logged"] == editor.landed and checked["last_stored"]
        saves.append(holds)
    p99_ratio = f["latency_p99_us"] / quiet["latency_p99_us"] if quiet["latency_p99_us"] else float("inf")
    p99_holds = p99_ratio <= P99_OVER_QUIET_MAX
    passed = errors_free and all(saves) and not tracebacks and p99_holds
    quiet_seconds = quiet["duration_us"] / 1e6
    print(f"""
HOLR load test · gunicorn {options.workers} workers × {options.threads} threads on 127.0.0.1:{options.port} · {database}
  readers        {options.connections} connections (wrk, {options.wrk_threads} threads)
  quiet          {quiet_seconds:.1f} s · {quiet["requests"] / quiet_seconds:.1f} requests/s · p50 {ms(quiet["latency_p50_us"])} · p99 {ms(quiet["latency_p99_us"])} · hit ratio {hit_ratio(quiet):.3f}
  editing        {seconds:.1f} s · {f["requests"]} requests · {f["requests"] / seconds:.1f} requests/s · hit ratio {hit_ratio(f):.3f}
  latency        mean {ms(f["latency_mean_us"])} · p50 {ms(f["latency_p50_us"])} · p90 {ms(f["latency_p90_us"])} · p99 {ms(f["latency_p99_us"])} · max {ms(f["latency_max_us"])}
  p99 vs quiet   {p99_ratio:.1f}× (at most {P99_OVER_QUIET_MAX}×): {"PASS" if p99_holds else "MISS"}
  responses      2xx {f["ok"]} · 3xx {f["redirects"]} · 4xx {f["client_errors"]} · 5xx {f["server_errors"]} (quiet: 4xx {quiet["client_errors"]} · 5xx {quiet["server_errors"]})
  socket errors  connect {f["connect_errors"]} · read {f["read_errors"]} · write {f["write_errors"]} · timeout {f["timeouts"]} (quiet: {socket_errors(quiet)})
  server log     {tracebacks} tracebacks""")
    for editor, checked, holds in zip(editors, stored, saves, strict=True):
        print(
            f"  {editor.name:<28} {editor.attempted} attempted · {editor.landed} acknowledged · "
            f"{checked['logged']} in the admin log · last value stored: {'yes' if checked['last_stored'] else 'NO'}"
            f" · {'ok' if holds else 'LOST OR FAILED'}"
        )
        for failure in editor.failures[:10]:
            print(f"      {failure}")
    if steps is not None:
        retired = Counter(key for step in steps if step[2] for key in step[2])
        print(
            f"  steps          {len(steps)} while the editors worked, "
            f"{sum(1 for step in steps if step[2] is None)} retiring everything; keys retired (steps): "
            + ", ".join(f"{key} {count}" for key, count in retired.most_common(6))
        )
    if misses is not None:
        missed, server_ms = misses
        print(f"  server time    (median, p99) {server_times(server_ms)}")
        top = ", ".join(f"{path} ×{count}" for path, count in missed.most_common(10))
        print(f"  misses         {sum(missed.values())} on {len(missed)} pages; most: {top}")
    print(f"  result         {'PASS' if passed else 'FAIL'}")
    if tracebacks or (not passed and server_log.strip()):
        print(server_log[-3000:])
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
