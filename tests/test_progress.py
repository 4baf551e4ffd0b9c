"""Long commands show progress: a bar on a terminal, plain lines elsewhere, nothing at --verbosity 0."""

import io

import pytest
from django.core.management import call_command

from holr import progress as progress_module
from holr.progress import Progress
from tests.builders import make_article


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_bar_drawn_in_place():
    stream = Terminal()
    with Progress("Indexing", 3, stream=stream, unit="articles") as progress:
        for _ in range(3):
            progress()
    assert "\r" in stream.getvalue()
    assert "3/3" in stream.getvalue()


def test_a_log_gets_plain_lines_and_a_last_one(monkeypatch):
    monkeypatch.setattr(progress_module, "PLAIN_EVERY", 0)
    stream = io.StringIO()
    with Progress("Indexing", 4, stream=stream, unit="articles") as progress:
        progress(2)
        progress(2)
    assert stream.getvalue().splitlines() == [
        "Indexing: 2 of 4 articles (50%)",
        "Indexing: 4 of 4 articles (100%)",
        "Indexing: 4 of 4 articles (100%)",
    ]
    assert "\r" not in stream.getvalue()


def test_a_log_is_not_flooded_and_a_quick_run_stays_quiet():
    stream = io.StringIO()
    with Progress("Backing up", None, stream=stream, unit="rows") as progress:
        for _ in range(1000):
            progress()
    assert stream.getvalue() == ""


def test_a_log_line_without_a_total_counts_what_is_done(monkeypatch):
    monkeypatch.setattr(progress_module, "PLAIN_EVERY", 0)
    stream = io.StringIO()
    with Progress("Backing up", None, stream=stream, unit="rows") as progress:
        progress(1000)
    assert stream.getvalue().splitlines()[0] == "Backing up: 1,000 rows"


def test_verbosity_zero_says_nothing():
    stream = Terminal()
    with Progress("Indexing", 3, stream=stream, verbosity=0) as progress:
        progress(3)
    assert stream.getvalue() == ""


@pytest.mark.django_db
def test_rebuild_search_index_reports_progress_on_standard_error_only(monkeypatch):
    monkeypatch.setattr(progress_module, "PLAIN_EVERY", 0)
    make_article(title="Counted")
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert out.getvalue() == "Indexed 1 published article.\n"
    assert err.getvalue().splitlines()[-1] == "Indexing: 1 of 1 articles (100%)"

    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err, verbosity=0)
    assert err.getvalue() == ""
