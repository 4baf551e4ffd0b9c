"""Readers for the load benchmarks: gunicorn on loopback, and wrk running bench/load.lua.

Used by bench/load.py (`make loadtest`) and bench/editing.py (`make bench-editing`).
`read()` runs wrk over a list of paths and returns load.lua's figures: requests, latency
percentiles (µs), responses by class, socket errors, and the page cache's hits and misses
(its `X-Page-Cache` header).
"""

import contextlib
import json
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LOAD_LUA = PROJECT / "bench" / "load.lua"
# gunicorn's access log, when asked for: the path, its query string, X-Page-Cache and the
# time the server took (µs), so a miss's cost shows apart from the readers' queueing.
ACCESS_LOG_FORMAT = "%(U)s %(q)s %({x-page-cache}o)s %(D)s"

# Run with `manage.py shell -c` and STEPS_SINCE (ISO time): the content version's steps
# since then (Redis), each as [number, when, the keys it retired or null for everything].
STEPS = """
import json, os
from datetime import datetime
from pagecache import versions
since = datetime.fromisoformat(os.environ["STEPS_SINCE"])
last = versions.cache().get(versions.VERSION_KEY) or 0
found = versions.cache().get_many([versions.CHANGE_KEY % n for n in range(last - 5000, last + 1)])
steps = sorted(
    (int(key.rsplit(":", 1)[1]), changed_at.isoformat(), None if keys is None else sorted(keys))
    for key, (changed_at, keys) in found.items()
    if changed_at >= since
)
print(json.dumps(steps))
"""


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args[:1])} failed:\n{result.stderr}")
    return result.stdout


def shell_json(env, code):
    """Run `code` in `manage.py shell` and read the JSON it prints last."""
    return json.loads(manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1])


def serve(env, port, workers, log, threads=1, access_log=None):
    """gunicorn on 127.0.0.1:`port`, its output to the open file `log`: sync workers, or
    gthread when `threads` > 1. Stop it with `stop()`."""
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "holr.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--no-control-socket",
        "--log-level",
        "warning",
    ]
    if threads > 1:
        command += ["--threads", str(threads), "--worker-class", "gthread"]
    if access_log:
        command += ["--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT]
    return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


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


def warm(base, paths):
    """Request every path once, so that the page cache holds them all."""
    for path in paths:
        with contextlib.suppress(urllib.error.HTTPError):  # counted when wrk meets it
            urllib.request.urlopen(base + path, timeout=60).read()


def read(base, paths, seconds, connections, threads=2, timeout="10s"):
    """`seconds` of wrk over `paths` with `connections` readers: load.lua's figures."""
    wrk = subprocess.run(
        [
            "wrk",
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            timeout,
            "-s",
            str(LOAD_LUA),
            base,
            "--",
            *paths,
        ],
        capture_output=True,
        text=True,
    )
    lines = [line for line in wrk.stdout.splitlines() if line.startswith("HOLR-LOAD ")]
    if wrk.returncode or not lines:
        sys.exit(f"wrk failed:\n{wrk.stdout}\n{wrk.stderr}")
    return json.loads(lines[-1].removeprefix("HOLR-LOAD "))


def access_lines(access_log, start, end):
    """The access log's lines between two byte offsets: (path with query, cache, server ms)."""
    with access_log.open("rb") as log:
        log.seek(start)
        lines = log.read(end - start).decode().splitlines()
    for line in lines:
        path, query, cache, us = (line.split(" ") + ["", "", ""])[:4]
        path += f"?{query}" if query and query != "-" else ""
        yield path, cache, int(us) / 1000 if us.isdigit() else None


def tally(access_log, start, end):
    """From the access log between two byte offsets: the misses by page (a Counter), and
    the server's time for a hit and for a miss as {"hit": (median, p99), "miss": …} in ms."""
    missed, server_ms = Counter(), {"hit": [], "miss": []}
    for path, cache, ms in access_lines(access_log, start, end):
        if cache == "miss":
            missed[path] += 1
        if cache in server_ms and ms is not None:
            server_ms[cache].append(ms)
    return missed, {cache: median_and_p99(ms) for cache, ms in server_ms.items()}


def median_and_p99(values):
    """(median, 99th percentile) of `values`, rounded to 0.1; (None, None) for none."""
    if not values:
        return None, None
    ordered = sorted(values)
    return round(statistics.median(ordered), 1), round(
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1
    )


def server_times(server_ms):
    """'a hit 0.6, 3.3 ms; a miss 52.9, 91.8 ms' from {"hit": (median, p99), "miss": …}."""
    return "; ".join(
        f"a {cache} {median}, {p99} ms" if median is not None else f"no {cache}"
        for cache, (median, p99) in server_ms.items()
    )


def socket_errors(figures):
    return sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))


def hit_ratio(figures):
    counted = figures["cache_hits"] + figures["cache_misses"]
    return figures["cache_hits"] / counted if counted else 0.0
