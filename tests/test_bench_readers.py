"""bench/readers.py: what the load benchmarks read from gunicorn's access log."""

from bench.readers import ACCESS_LOG_FORMAT, server_times, tally


def test_access_log_tally_counts_misses_by_page_and_times_hits_and_misses_apart(tmp_path):
    """Misses are counted by path with its query string; the server's time (µs in the log)
    comes back in ms, a hit's apart from a miss's; lines before `start` are not read."""
    assert ACCESS_LOG_FORMAT.split() == ["%(U)s", "%(q)s", "%({x-page-cache}o)s", "%(D)s"]
    earlier = "/ - miss 90000\n"
    log = tmp_path / "access.log"
    log.write_text(
        earlier
        + "/ page=2 miss 40000\n"
        + "/ page=2 miss 60000\n"
        + "/people/ada/ - hit 500\n"
        + "/people/ada/ - hit 700\n"
        + "/people/ada/ - miss 30000\n"
        + "/admin/ - - 120000\n"
    )

    missed, server_ms = tally(log, len(earlier), log.stat().st_size)

    assert missed == {"/?page=2": 2, "/people/ada/": 1}
    assert server_ms == {"hit": (0.6, 0.7), "miss": (40.0, 60.0)}
    assert server_times(server_ms) == "a hit 0.6, 0.7 ms; a miss 40.0, 60.0 ms"


def test_server_times_says_when_nothing_missed(tmp_path):
    log = tmp_path / "access.log"
    log.write_text("/ - hit 400\n")

    _, server_ms = tally(log, 0, log.stat().st_size)

    assert server_times(server_ms) == "a hit 0.4, 0.4 ms; no miss"
