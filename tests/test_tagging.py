from types import SimpleNamespace

from articles.tagging import format_tags, parse_tags


def test_a_name_without_commas_stays_whole():
    """taggit would split "Vladimir Putin" on the space; HOLR keeps it one name."""
    assert parse_tags("Vladimir Putin") == ["Vladimir Putin"]


def test_commas_separate_names_and_whitespace_is_tidied():
    assert parse_tags("  Vladimir Putin ,Xi   Jinping,, ,Moscow ") == [
        "Vladimir Putin",
        "Xi Jinping",
        "Moscow",
    ]


def test_quotes_keep_a_comma_inside_a_name():
    assert parse_tags('"Washington, D.C.", Moscow') == ["Washington, D.C.", "Moscow"]


def test_repeats_collapse_case_insensitively_keeping_the_first_spelling():
    assert parse_tags("Moscow, moscow, MOSCOW, Kremlin") == ["Moscow", "Kremlin"]


def test_unicode_names_survive():
    assert parse_tags("习近平, Zürich") == ["习近平", "Zürich"]


def test_empty_input_gives_no_names():
    assert parse_tags("") == []
    assert parse_tags(" , ,") == []


def test_format_round_trips_through_parse():
    tags = [SimpleNamespace(name=name) for name in ("Xi Jinping", "Washington, D.C.", "Vladimir Putin")]
    text = format_tags(tags)
    assert text == 'Vladimir Putin, "Washington, D.C.", Xi Jinping'
    assert sorted(parse_tags(text)) == sorted(tag.name for tag in tags)
