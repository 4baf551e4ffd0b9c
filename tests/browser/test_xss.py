"""In Chromium, none of the XSS corpus runs: not on article pages, tag pages or the admin changelist.

Every payload calls window.__xss() or alert()/confirm()/prompt(); those are hooked
before any page script runs and must never be called.
"""

import pytest
from django.urls import reverse
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Person
from tests.browser.conftest import script_on_every_page, sign_in
from tests.hostile_content import make_hostile_magazine

USERNAME, PASSWORD = "xss-editor", "a-long-test-password"
HOOK = """
window.__xssCalls = [];
const record = (what) => (...args) => { window.__xssCalls.push(what + " on " + location.href); };
window.__xss = record("__xss");
window.alert = record("alert");
window.confirm = record("confirm");
window.prompt = record("prompt");
"""


def calls_after_loading(browser, url):
    browser.get(url)
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return browser.execute_script("return window.__xssCalls")


@pytest.fixture
def hooked_browser(browser):
    with script_on_every_page(browser, HOOK):
        yield browser
    browser.delete_all_cookies()


@pytest.mark.browser
def test_hook_catches_a_payload_that_runs(hooked_browser, live_server):
    """The hook itself works: an unescaped payload is recorded."""
    calls = calls_after_loading(
        hooked_browser, "data:text/html,<img src=x onerror=window.__xss()><script>alert(1)</script>"
    )
    assert len(calls) == 2, calls


@pytest.mark.browser
def test_no_payload_runs_on_article_tag_and_admin_pages(hooked_browser, live_server, django_user_model):
    articles = make_hostile_magazine()
    django_user_model.objects.create_superuser(USERNAME, "xss@example.com", PASSWORD)
    browser = hooked_browser

    urls = [article.get_absolute_url() for article in articles]
    urls += [tag.get_absolute_url() for tag in Person.objects.all()[::3]]  # one template; a sample of names
    calls = []
    for url in urls:
        calls += calls_after_loading(browser, live_server.url + url)
    assert calls == []

    sign_in(browser, live_server, USERNAME, PASSWORD)
    changelist = reverse("admin:articles_article_changelist")
    for url in (changelist, f"{changelist}?p=2", f"{changelist}?q=script"):
        calls += calls_after_loading(browser, live_server.url + url)
    assert calls == []
