"""The admin's article form, rich-text editor included, works under the Content-Security-Policy."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Article
from tests.browser.conftest import script_on_every_page, sign_in
from tests.builders import make_article

USERNAME, PASSWORD = "csp-editor", "a-long-test-password"

# Recorded from the first moment of every page, before any of its scripts run.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') +
    ' at ' + event.sourceFile + ':' + event.lineNumber + ' ' + (event.sample || ''));
});
"""


def violations(browser):
    return browser.execute_script("return window.__cspViolations || null")


@pytest.fixture
def recording_browser(browser):
    with script_on_every_page(browser, RECORD_VIOLATIONS):
        yield browser


@pytest.mark.browser
def test_article_form_and_editor_work_under_the_admin_policy(
    recording_browser, live_server, django_user_model
):
    browser = recording_browser
    django_user_model.objects.create_superuser(USERNAME, "csp@example.com", PASSWORD)
    article = make_article(title="Policy check", body="<p>First paragraph.</p>")
    wait = WebDriverWait(browser, 15)
    browser.delete_all_cookies()

    sign_in(browser, live_server, USERNAME, PASSWORD)
    assert violations(browser) == []

    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor = wait.until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, ".field-body .ProseMirror[contenteditable='true']"))
    )
    editor.click()
    editor.send_keys(" Typed under the policy.")
    wait.until(lambda _: "Typed under the policy." in editor.text)
    browser.find_element(By.XPATH, "//input[@type='submit' and @value='Save and continue editing']").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success")))

    assert violations(browser) == []
    article.refresh_from_db()
    assert "Typed under the policy." in article.body
    assert Article.objects.count() == 1


@pytest.mark.browser
def test_admin_pages_raise_no_policy_violations(recording_browser, live_server, admin_user, client):
    """The lists, the image form and the user form: Django's admin and ours, no inline code."""
    from tests.builders import make_image

    browser = recording_browser
    image = make_image()
    make_article(lead_image=image)
    client.force_login(admin_user)
    browser.get(f"{live_server.url}/admin/login/")
    browser.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value})
    for path in (
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/images/image/",
        f"/admin/images/image/{image.pk}/change/",
        f"/admin/auth/user/{admin_user.pk}/change/",
        "/admin/axes/accessattempt/",
        "/admin/two-factor/set-up/",
    ):
        browser.get(live_server.url + path)
        assert "Log in" not in browser.title, path
        assert violations(browser) == [], path


@pytest.mark.browser
def test_public_pages_raise_no_policy_violations(recording_browser, live_server):
    article = make_article(title="Reader view", body="<p>Body.</p>")
    recording_browser.delete_all_cookies()
    for path in ("/", article.get_absolute_url()):
        recording_browser.get(live_server.url + path)
        assert violations(recording_browser) == [], path
