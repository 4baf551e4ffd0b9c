import pytest

from richtext.sanitizer import sanitize_html


@pytest.mark.parametrize(
    "dirty",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<svg onload="alert(1)"><circle/></svg>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<p onmouseover="alert(1)">x</p>',
        "<object data=x></object><embed src=x>",
        "<style>body{display:none}</style>",
        '<form action="https://evil.example"><input name=a></form>',
    ],
)
def test_dangerous_markup_is_removed(dirty):
    clean = sanitize_html(dirty).lower()
    for marker in (
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "data:",
        "<iframe",
        "<svg",
        "style=",
        "<object",
        "<embed",
        "<style",
        "<form",
        "<input",
    ):
        assert marker not in clean


def test_editorial_markup_is_kept():
    """Headings, emphasis, links, lists and block quotes survive untouched."""
    html = (
        "<h2>Talks</h2><p><strong>Bold</strong> and <em>italic</em> "
        '<a href="/articles/other/" rel="noopener">inside</a></p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>Quote</p></blockquote>"
    )
    assert sanitize_html(html) == html


def test_links_get_rel_noopener():
    assert sanitize_html('<a href="https://example.org" target="_blank">x</a>') == (
        '<a href="https://example.org" rel="noopener">x</a>'
    )


def test_empty_editor_output_is_empty():
    assert sanitize_html("<p></p>") == ""
    assert sanitize_html(None) == ""
