#!/usr/bin/env python3
"""The editing scenario (issue 12): readers' req/s, hit ratio and latency while editors work.

    python bench/editing.py [--articles 2000] [--phase 20] [--recovery 10] [--port 8170] [--log-misses]
    make bench-editing ARGS="--phase 30"

On PostgreSQL and Redis (DATABASE_URL, REDIS_URL), as production runs: an empty database is
migrated and filled with `manage.py populate --articles N` (a filled one is used as it
is), gunicorn serves it with 2 sync workers, every page is requested once, and 8 wrk
readers (bench/load.lua) spread over the 400 newest articles, the 60 busiest person pages,
home and home page 2, through phases of --phase seconds each, in one run:

1. quiet;
2. one editor saves a draft once a second;
3. one editor saves an old published article once a second (a new dek and body; its
   address, time and section stay);
4. a new article is published every 10 s;
5. quiet again: its first --recovery seconds measured on their own.

Editors work through the admin's forms over HTTP (bench/editors.py). Prints, per phase,
readers' req/s, the page cache's hit ratio (X-Page-Cache), p50 and p99, and the content
version's steps taken (how many retired everything); judges the issue's targets (PASS or
MISS); writes bench/results/<time>-editing-<label>.json. --log-misses turns on gunicorn's
access log and lists, per phase, which pages missed.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
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
from run import RESULTS, ROOT, base_environment, collectstatic, machine, versions

USERS = {"drafter": "bench-drafter", "reviser": "bench-reviser", "publisher": "bench-publisher"}
# The targets, each phase against the quiet phase of the same run.
TARGETS = {
    "draft saves": {"hit_ratio": 0.95, "rps_ratio": 0.85},
    "old-article saves": {"hit_ratio": 0.8, "rps_ratio": 0.6},
}
RECOVERY_HIT_RATIO = 0.9

COUNT = """
import json
from articles.models import Article
print(json.dumps(Article.objects.count()))
"""

PREPARE = """
import json
from django.db.models import Count
from articles.models import Article, Section, Status
from articles.vocabularies import VOCABULARIES
published = Article.objects.published()
newest = [a.get_absolute_url() for a in published.order_by("-published_at", "-pk")[:400]]
people = VOCABULARIES["people"].model.objects.filter(tagged_articles__content_object__in=published)
busiest = people.annotate(n=Count("tagged_articles")).order_by("-n", "pk")[:60]
draft = Article.objects.filter(status=Status.DRAFT, published_at__isnull=True).order_by("pk").first()
old = published.order_by("published_at", "pk").first()
section = Section.objects.order_by("position", "pk").first()
print(json.dumps({
    "home": ["/", "/?page=2"], "articles": newest, "people": [p.get_absolute_url() for p in busiest],
    "draft": draft.pk, "old": old.pk, "old_path": old.get_absolute_url(), "section": section.pk,
    "published": published.count(),
}))
"""


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=2000, help="populate an empty database with N (default 2000)"
    )
    parser.add_argument("--phase", type=float, default=20, help="seconds a phase (default 20)")
    parser.add_argument(
        "--recovery",
        type=float,
        default=10,
        help="the first seconds of quiet again, judged alone (default 10)",
    )
    parser.add_argument(
        "--publish-every", type=float, default=10, help="seconds between new articles (default 10)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk readers (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8170")))
    parser.add_argument(
        "--log-misses", action="store_true", help="gunicorn's access log on: list the pages that missed"
    )
    parser.add_argument("--label", default="", help="a word for the results file name")
    parser.add_argument("--no-save", action="store_true", help="print only; write no JSON")
    return parser.parse_args()


def check_shape():
    database = os.environ.get("DATABASE_URL", "")
    cache = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
    if not database.startswith(("postgres://", "postgresql://")) or not cache.startswith("redis"):
        sys.exit(
            "The editing scenario runs as production does, on PostgreSQL and Redis: set DATABASE_URL "
            "(postgres://…) and REDIS_URL (redis://…). On SQLite two gunicorn workers and an "
            "editor share one write lock, and local memory gives each worker its own cache; "
            "the issue's targets are for the production shape.\n"
            "    createdb -h 127.0.0.1 -U postgres holr_editing\n"
            "    DATABASE_URL=postgres://postgres@127.0.0.1:5432/holr_editing "
            "REDIS_URL=redis://127.0.0.1:6379/3 make bench-editing"
        )


def prepare(env, articles):
    manage(env, "migrate", "-v0")
    existing = shell_json(env, COUNT)
    if existing:
        print(f"Using the {existing} articles already in the database.", flush=True)
    else:
        print(f"Filling the database: populate --articles {articles}…", flush=True)
        manage(env, "populate", "--articles", str(articles), "--seed", "1", "-v0")
    manage(env, "shell", "--no-imports", "-c", PREPARE_USERS)
    collectstatic(env)
    return shell_json(env, PREPARE)


class Phase:
    def __init__(self, name, seconds, editors=()):
        self.name, self.seconds, self.editors = name, seconds, list(editors)

    def run(self, base, paths, connections, access_log):
        for editor in self.editors:
            editor.start()
        self.log_from = access_log.stat().st_size if access_log else 0
        self.started = datetime.now(UTC)
        self.figures = read(base, paths, self.seconds, connections)
        self.ended = datetime.now(UTC)
        self.log_to = access_log.stat().st_size if access_log else 0
        for editor in self.editors:
            editor.stop.set()
        for editor in self.editors:
            editor.join(timeout=60)

    def summary(self, quiet_rps, steps, misses):
        f = self.figures
        seconds = f["duration_us"] / 1e6
        mine = [s for s in steps if self.started <= datetime.fromisoformat(s[1]) < self.ended]
        return {
            "phase": self.name,
            "started": self.started.isoformat(timespec="milliseconds"),
            "seconds": round(seconds, 1),
            "requests": f["requests"],
            "rps": round(f["requests"] / seconds, 1),
            "rps_ratio": round(f["requests"] / seconds / quiet_rps, 3) if quiet_rps else None,
            "hits": f["cache_hits"],
            "misses": f["cache_misses"],
            "hit_ratio": round(hit_ratio(f), 3),
            "p50_ms": round(f["latency_p50_us"] / 1000, 2),
            "p99_ms": round(f["latency_p99_us"] / 1000, 2),
            "errors": f["client_errors"] + f["server_errors"] + socket_errors(f),
            "saves": [
                {
                    "editor": e.name,
                    "attempted": e.attempted,
                    "acknowledged": e.landed,
                    "median_save_ms": round(statistics.median(e.seconds) * 1000) if e.seconds else None,
                    "failures": e.failures,
                }
                for e in self.editors
            ],
            "steps": len(mine),
            "steps_retiring_everything": sum(1 for s in mine if s[2] is None),
            "keys_retired": sorted({key for s in mine if s[2] for key in s[2]}),
            "missed_pages": misses,
        }


def missed_pages(access_log, phase, kinds):
    """The pages that missed during `phase`, counted by kind and by path (most first)."""
    if not access_log:
        return None
    paths, server_ms = tally(access_log, phase.log_from, phase.log_to)
    by_kind = Counter()
    for path, count in paths.items():
        by_kind[next((kind for kind, members in kinds.items() if path in members), "other")] += count
    return {
        "by_kind": dict(by_kind),
        "distinct": len(paths),
        "top": paths.most_common(8),
        "server_ms": server_ms,
    }


def judge(rows):
    """Each of the issue's targets: (what, value, holds)."""
    by_name = {row["phase"]: row for row in rows}
    checks = []
    for name, target in TARGETS.items():
        row = by_name[name]
        checks.append(
            (
                f"{name}: hit ratio ≥ {target['hit_ratio']}",
                row["hit_ratio"],
                row["hit_ratio"] >= target["hit_ratio"],
            )
        )
        checks.append(
            (
                f"{name}: req/s ≥ {target['rps_ratio']}× quiet",
                row["rps_ratio"],
                row["rps_ratio"] >= target["rps_ratio"],
            )
        )
    recovery = rows[-2] if rows[-1]["phase"] == "quiet again, after" else rows[-1]
    checks.append(
        (
            f"{recovery['phase']}: hit ratio ≥ {RECOVERY_HIT_RATIO}",
            recovery["hit_ratio"],
            recovery["hit_ratio"] >= RECOVERY_HIT_RATIO,
        )
    )
    checks.append(("no errors", sum(row["errors"] for row in rows), all(row["errors"] == 0 for row in rows)))
    return [{"target": what, "value": value, "holds": holds} for what, value, holds in checks]


def report(result):
    s = result["settings"]
    print(
        f"\n{result['site']['published']} published articles · PostgreSQL + Redis · {s['workers']} sync workers · "
        f"wrk -c{s['connections']} over {s['paths']} pages · {s['phase']:g} s a phase"
    )
    head = f"{'phase':26} {'req/s':>7} {'×quiet':>7} {'hit ratio':>9} {'p50 ms':>8} {'p99 ms':>8} {'saves':>6} {'steps':>6} {'all':>4}"
    print(head)
    print("-" * len(head))
    for row in result["phases"]:
        saves = sum(save["acknowledged"] for save in row["saves"])
        print(
            f"{row['phase']:26} {row['rps']:>7.0f} {row['rps_ratio']:>7.3f} {row['hit_ratio']:>9.3f} "
            f"{row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} {saves:>6} {row['steps']:>6} "
            f"{row['steps_retiring_everything']:>4}"
        )
    print("(steps: the content version's steps taken in the phase; all: those that retired everything)")
    for row in result["phases"]:
        if row["keys_retired"]:
            print(f"  {row['phase']}: retired keys {', '.join(row['keys_retired'][:8])}")
        for save in row["saves"]:
            print(
                f"  {row['phase']}: {save['editor']} made {save['acknowledged']} saves, "
                f"median {save['median_save_ms']} ms each (open the form, submit it)"
            )
            for failure in save["failures"][:5]:
                print(f"  {save['editor']}: {failure}")
        missed = row["missed_pages"]
        if missed and missed["distinct"]:
            kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(missed["by_kind"].items()))
            top = ", ".join(f"{path} ×{count}" for path, count in missed["top"])
            print(f"  {row['phase']}: misses by page kind: {kinds}; {missed['distinct']} pages; most: {top}")
        if missed:
            print(f"  {row['phase']}: server time (median, p99): {server_times(missed['server_ms'])}")
    print(
        f"editors' saves: {'all in the admin log, last values stored' if result['saves_verified'] else 'LOST'}"
    )
    for target in result["targets"]:
        print(f"  {'PASS' if target['holds'] else 'MISS'}  {target['target']}: {target['value']}")


def main():
    args = parse_args()
    check_shape()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk).")
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="holr-editing-") as scratch:
        env = base_environment(Path(scratch, "static"))
        env.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir(), "holr-bench-media")))
        env.update(EDITORS_USERS=",".join(USERS.values()), EDITORS_PASSWORD=secrets.token_urlsafe(16))
        site = prepare(env, args.articles)
        paths = site["home"] + site["articles"] + site["people"]
        kinds = {"home": set(site["home"]), "article": set(site["articles"]), "person": set(site["people"])}
        base = f"http://127.0.0.1:{args.port}"
        password = env["EDITORS_PASSWORD"]
        recovery = min(args.recovery, args.phase)
        phases = [
            Phase("quiet", args.phase),
            Phase(
                "draft saves", args.phase, [Drafter(base, USERS["drafter"], password, article=site["draft"])]
            ),
            Phase(
                "old-article saves",
                args.phase,
                [Reviser(base, USERS["reviser"], password, article=site["old"])],
            ),
            Phase(
                f"publish every {args.publish_every:g} s",
                args.phase,
                [
                    Publisher(
                        base,
                        USERS["publisher"],
                        password,
                        section=site["section"],
                        interval=args.publish_every,
                    )
                ],
            ),
            Phase(f"quiet again, first {recovery:g} s", recovery),
        ]
        if args.phase > recovery:
            phases.append(Phase("quiet again, after", args.phase - recovery))
        access_log = Path(scratch, "access.log") if args.log_misses else None
        log_path = Path(scratch, "gunicorn.log")
        with log_path.open("w") as log:
            server = serve(env, args.port, args.workers, log, access_log=access_log)
        try:
            wait_until_serving(base + "/", server)
            print(f"Warming {len(paths)} pages…", flush=True)
            warm(base, paths)
            for phase in phases:
                print(f"{phase.name}: {phase.seconds:g} s…", flush=True)
                phase.run(base, paths, args.connections, access_log)
        finally:
            stop(server)
        editors = [editor for phase in phases for editor in phase.editors]
        stored = shell_json({**env, "EDITORS_REPORT": json.dumps([e.report() for e in editors])}, VERIFY)
        steps = shell_json({**env, "STEPS_SINCE": phases[0].started.isoformat()}, STEPS)
        rows = []
        for phase in phases:
            quiet_rps = rows[0]["rps"] if rows else None
            rows.append(phase.summary(quiet_rps, steps, missed_pages(access_log, phase, kinds)))
        rows[0]["rps_ratio"] = 1.0
        server_log = log_path.read_text()
    saves_verified = all(
        editor.ok and checked["logged"] == editor.landed and checked["last_stored"]
        for editor, checked in zip(editors, stored, strict=True)
    )
    result = {
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "settings": {
            "workers": args.workers,
            "connections": args.connections,
            "phase": args.phase,
            "recovery": recovery,
            "publish_every": args.publish_every,
            "paths": len(paths),
            "log_misses": args.log_misses,
        },
        "site": {"published": site["published"], "draft": site["draft"], "old": site["old_path"]},
        "phases": rows,
        "saves_verified": saves_verified,
    }
    result["targets"] = judge(rows)
    result["targets"].append(
        {
            "target": "every acknowledged save in the admin log, last values stored",
            "value": saves_verified,
            "holds": saves_verified,
        }
    )
    report(result)
    if server_log.strip():
        print(f"\ngunicorn's log:\n{server_log[-3000:]}")
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        label = args.label or f"postgresql-redis-{site['published']}"
        path = RESULTS / f"{started:%Y%m%dT%H%M%S}-editing-{label}.json"
        path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        print(f"\nsaved {path.relative_to(ROOT)}")
    # A target missed is a result; lost saves or errors make the run itself unsound.
    return 0 if saves_verified and all(row["errors"] == 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
