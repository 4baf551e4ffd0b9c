"""How a long management command shows that it is working.

`populate`, `import_articles`, `make_renditions`, `rebuild_search_index`, `backup` and
`restore` run for minutes at scale. On a terminal they draw a tqdm bar; when their
output is not a terminal (a log file, cron, CI) they write a plain line every
`PLAIN_EVERY` seconds, and one at the end if they wrote any (a quick run stays quiet); at
`--verbosity 0` they say nothing. Progress
goes to standard error, so what a command prints on standard output stays the same.
"""

import time

from tqdm import tqdm

PLAIN_EVERY = 10.0  # seconds between plain lines


class Progress:
    """Count work done: call it with how many items were just finished; use it as a context manager."""

    def __init__(self, what, total, *, stream, verbosity=1, unit="items"):
        self.what, self.total, self.unit, self.stream = what, total, unit, stream
        self.done = 0
        self.has_written = False
        self.is_quiet = verbosity == 0
        self.bar = None
        if not self.is_quiet and stream.isatty():
            self.bar = tqdm(total=total, desc=what, unit=f" {unit}", file=stream, dynamic_ncols=True)
        self.last_line_at = time.monotonic()

    def __call__(self, count=1):
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
        elif not self.is_quiet and time.monotonic() - self.last_line_at >= PLAIN_EVERY:
            self.write_line()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.bar is not None:
            self.bar.close()
        elif self.has_written:
            self.write_line()

    def write_line(self):
        if self.total:
            line = (
                f"{self.what}: {self.done:,} of {self.total:,} {self.unit} ({100 * self.done // self.total}%)"
            )
        else:
            line = f"{self.what}: {self.done:,} {self.unit}"
        self.stream.write(line + "\n")
        self.stream.flush()
        self.has_written = True
        self.last_line_at = time.monotonic()


def command_progress(command, what, total, *, verbosity, unit="items"):
    """A Progress on a management command's standard error (the raw stream: tqdm draws with \\r)."""
    stream = getattr(command.stderr, "_out", command.stderr)
    return Progress(what, total, stream=stream, verbosity=verbosity, unit=unit)


def no_progress(count=1):
    """What library functions call when nobody watches."""
