"""Every public page passes axe-core with zero violations, in the light and the dark colour scheme.

axe-core is vendored at tests/browser/vendor/axe.min.js (npm package axe-core, MPL-2.0,
licence header kept); nothing is downloaded at test time.
"""

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import ArticleNote
from pages.models import Page
from tests.builders import make_article, make_author, make_image, make_section

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()

# WCAG 2.x A and AA plus axe's best practices (landmarks, heading order, skip link...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def build_magazine():
    """A small magazine with every kind of public page filled in."""
    world = make_section(name="World", slug="world")
    author = make_author(
        name="Mira Patel",
        slug="mira-patel",
        bio="Covers Russia and China.",
        photo=make_image(alt="Mira Patel, smiling"),
    )
    article = make_article(
        title="Putin hosts Xi in Moscow",
        slug="putin-hosts-xi",
        dek="A state visit days after the ICC warrant.",
        body="<p>Putin and Xi talked past midnight.</p><h2>Warm words</h2><p>Both sides praised the visit.</p>",
        section=world,
        authors=[author],
        lead_image=make_image(),
        caption="Xi Jinping and Vladimir Putin at the Kremlin.",
        people=["Vladimir Putin", "Xi Jinping", "Antony Blinken", "Ángela Ruiz"],
        places=["Moscow", "Zürich"],
        events=["Xi's 2023 state visit to Moscow"],
    )
    make_article(
        title="The Kremlin's guest list",
        section=world,
        authors=[author],
        lead_image=make_image(),
        people=["Vladimir Putin"],
        places=["Moscow"],
    )
    make_article(
        title="A quiet week in 习近平's capital", people=["习近平"], events=["ICC arrest warrant for Putin"]
    )
    # A correction at the article's end, and one of the magazine's own pages (in the footer).
    ArticleNote.objects.create(article=article, text="An earlier version misstated the length of the talks.")
    Page.objects.create(
        title="About HOLR Magazine",
        slug="about",
        is_published=True,
        body="<p>An independent magazine.</p><h2>How we work</h2><ul><li>Every story is edited.</li></ul>",
    )
    return article


PAGES = {
    "home": "/",
    "article": "/articles/putin-hosts-xi/",
    "magazine page": "/about/",
    "people index": "/people/",
    "people under one letter": "/people/a-z/v/",
    "people under other characters": "/people/a-z/other/",
    "places index": "/places/",
    "events index": "/events/",
    "tag page": "/people/vladimir-putin/",
    "section": "/sections/world/",
    "author": "/authors/mira-patel/",
    "search with results": "/search/?q=putin",
    "search with none": "/search/?q=zzzzzz",
    "search form": "/search/",
    "404": "/no-such-page/",
}


def emulate_colour_scheme(browser, scheme):
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )


def axe_violations(browser):
    browser.execute_script(AXE_SOURCE)
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(results => done(results.violations), error => done([{id: 'axe-error', help: String(error), nodes: []}]));",
        AXE_OPTIONS,
    )


def describe(page, violations):
    lines = []
    for violation in violations:
        targets = ", ".join(str(node.get("target")) for node in violation["nodes"][:5])
        lines.append(
            f"{page}: {violation['id']} ({violation.get('impact')}): {violation['help']} at {targets}"
        )
    return lines


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_public_page_passes_axe(browser, live_server, scheme):
    build_magazine()
    emulate_colour_scheme(browser, scheme)
    browser.set_script_timeout(30)
    problems = []
    try:
        for page, path in PAGES.items():
            browser.get(f"{live_server.url}{path}")
            assert browser.find_element(By.TAG_NAME, "h1").text, f"{page} has no h1"
            if page == "article":  # the article is checked with its related stories and its notes
                assert browser.find_elements(By.ID, "related-heading")
                assert browser.find_elements(By.ID, "article-notes")
            if page == "search with results":
                assert browser.find_elements(By.TAG_NAME, "mark")
            problems += describe(page, axe_violations(browser))
    finally:
        emulate_colour_scheme(browser, "light")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_keyboard_user_sees_the_skip_link_and_reaches_the_search_box(browser, live_server):
    build_magazine()
    browser.get(f"{live_server.url}/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "Skip to content"
    assert browser.execute_script("return arguments[0].getBoundingClientRect().top >= 0", skip)
    assert browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", skip) != "none"

    skip.send_keys(Keys.TAB)  # the masthead's name, then the search box
    browser.switch_to.active_element.send_keys(Keys.TAB)
    box = browser.switch_to.active_element
    assert box.get_attribute("name") == "q"
    box.send_keys("Kremlin", Keys.ENTER)
    results = WebDriverWait(browser, 10).until(
        lambda browser: browser.find_elements(By.CSS_SELECTOR, ".search-result h2 a")
    )
    assert [link.text for link in results] == ["The Kremlin's guest list"]


@pytest.mark.browser
def test_print_shows_the_article_without_search_navigation_or_related(browser, live_server):
    build_magazine()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        browser.get(f"{live_server.url}/articles/putin-hosts-xi/")
        hidden = browser.execute_script(
            "return ['.masthead__search', '.masthead__nav', '.related', '.site-footer']"
            ".map(s => getComputedStyle(document.querySelector(s)).display)"
        )
        assert hidden == ["none"] * 4
        assert browser.find_element(By.CSS_SELECTOR, ".article__body").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
