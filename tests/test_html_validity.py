"""Every public page type is valid HTML by the Nu HTML checker (vnu.jar, issue 13 defect 6).

The pages are rendered through the test client (tests/surfaces.py lists them), written
to files and checked in one `java -jar vnu.jar` run. `make test` installs vnu.jar (npm
`vnu-jar`, pinned in package.json) and Java (Debian's default-jre-headless).
"""

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone

from resilience.middleware import service_unavailable
from resilience.views import server_error
from tests.builders import make_article, make_author, make_image, make_section
from tests.surfaces import HTML, all_surfaces, walk

pytestmark = pytest.mark.django_db

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

BODY = """
<p>The visit came days after the <a href="https://www.icc-cpi.int/">ICC</a> issued its warrant.</p>
<h2>What was signed</h2>
<ul><li>An energy deal</li><li>A joint statement</li></ul>
<blockquote><p>“A new era,” said one of them.</p></blockquote>
<table><tbody><tr><th>Year</th><th>Trade</th></tr><tr><td>2023</td><td>$240bn</td></tr></tbody></table>
"""


def vnu_errors(paths):
    """The Nu checker's errors for these files, in one Java run: [(file name, line, message)]."""
    java = shutil.which("java")
    if not (java and VNU_JAR.is_file()):
        pytest.fail(
            f"The HTML check needs Java and {VNU_JAR} (found java={java}). "
            "Run `make test` (it installs them) or `make vnu`.",
            pytrace=False,
        )
    result = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(result.stderr)["messages"]
    return [(Path(m.get("url", "")).name, m.get("lastLine"), m["message"]) for m in messages]


@pytest.fixture
def magazine():
    """A little of everything a reader can meet: lead story, byline, tags, related stories, an update."""
    section = make_section(name="World", slug="world")
    authors = [
        make_author(name="Mira Patel", slug="mira-patel", bio="Moscow correspondent."),
        make_author(name="Tom Ng", slug="tom-ng"),
    ]
    tags = {
        "people": ["Vladimir Putin", "Xi Jinping"],
        "places": ["Moscow"],
        "events": ["Xi's 2023 state visit"],
    }
    lead = make_article(
        title="Putin hosts Xi in Moscow",
        slug="putin-hosts-xi",
        dek="A state visit days after the ICC warrant.",
        body=BODY,
        section=section,
        authors=authors,
        lead_image=make_image(width=1200, height=800),
        caption="The two leaders in the Kremlin.",
        **tags,
    )
    # Published three hours before its last save: the byline shows "Updated" too.
    lead.published_at = timezone.now() - timedelta(hours=3)
    lead.save()
    for n in range(3):
        make_article(
            title=f"Putin and Xi, part {n}",
            slug=f"putin-xi-{n}",
            section=section,
            authors=authors[:1],
            published_at=timezone.now() - timedelta(days=n + 1),
            **tags,
        )
    make_article(title="Kremlin draft", slug="kremlin-draft", status="draft", people=["Secret Source"])
    gone = make_article(title="Retracted story", slug="retracted-story")
    gone.delete()
    return lead


def test_every_public_page_type_has_no_nu_checker_errors(client, magazine, tmp_path):
    pages = {
        surface.url: response.content
        for surface, response in walk(client, all_surfaces(["putin"]))
        if surface.kind == HTML
    }
    for url, status in [
        ("/articles/no-such-story/", 404),
        (reverse("articles:detail", args=["retracted-story"]), 410),
    ]:
        response = client.get(url)
        assert response.status_code == status
        pages[url] = response.content
    pages["500"] = server_error(RequestFactory().get("/")).content
    pages["503"] = service_unavailable().content
    page_types = {resolve(url.split("?")[0]).view_name for url in pages if url.startswith("/")}
    assert page_types >= {
        "articles:home",
        "articles:detail",
        "articles:tag-index",
        "articles:tag-letter",
        "articles:tag",
        "articles:section",
        "articles:author",
        "search:search",
    }, page_types
    assert b"Updated <time" in pages[magazine.get_absolute_url()]
    files = {}
    for n, (url, content) in enumerate(pages.items()):
        path = tmp_path / f"page-{n}.html"
        path.write_bytes(content)
        files[path.name] = url

    errors = vnu_errors([tmp_path / name for name in files])

    assert [(files[name], line, message) for name, line, message in errors] == []


def test_the_checker_finds_errors():
    """The check can fail: a <time> with microseconds (what `|date:"c"` wrote) is an error."""
    page = Path(__file__).parent / "fixtures" / "invalid_time.html"

    errors = vnu_errors([page])

    assert len(errors) == 1
    assert "datetime" in errors[0][2]
