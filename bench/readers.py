"""Readers for the load benchmarks: gunicorn on loopback, and wrk running bench/load.lua.

Used by bench/load.py (`make loadtest`) and bench/editing.py (`make bench-editing`).
`read()` runs wrk over a list of paths and returns load.lua's figures: requests, latency
percentiles (µs), responses by class, socket errors, and the page cache's hits and misses
(its `X-Page-Cache` header).
"""

import contextlib
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LOAD_LUA = PROJECT / "bench" / "load.lua"
# gunicorn's access log, when asked for: the path, its query string and X-Page-Cache.
ACCESS_LOG_FORMAT = "%(U)s %(q)s %({x-page-cache}o)s"


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


def socket_errors(figures):
    return sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))


def hit_ratio(figures):
    counted = figures["cache_hits"] + figures["cache_misses"]
    return figures["cache_hits"] / counted if counted else 0.0
