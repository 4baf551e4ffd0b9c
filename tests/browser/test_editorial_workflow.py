"""The editorial workflow in a real browser.

A contributor writes and submits an article; an editor finds it in the review queue,
previews an unsaved change, schedules it and makes a share link; the link opens in a
separate browser with no session.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.text import slugify
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from articles.models import Article, Status
from tests.browser.conftest import sign_in
from tests.builders import make_user

PASSWORD = "a-long-test-password"
TITLE = "Kremlin talks run past midnight"
DEK = "Xi and Putin sign a joint statement after a long day."
BODY = "The delegations met in the Kremlin's St George Hall."


def submit(browser, button):
    """Click a submit button and wait for the next page (not the old page's messages)."""
    page = browser.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(browser, 15).until(EC.staleness_of(page))


def saved_message(browser):
    wait = WebDriverWait(browser, 15)
    outcome = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist .success, .errornote"))[0]
    if "errornote" in outcome.get_attribute("class"):
        errors = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".errorlist")]
        pytest.fail(f"The admin refused the form: {outcome.text} {errors}")
    return outcome.text


@pytest.mark.browser
def test_contributor_submits_editor_previews_schedules_and_shares(
    browser, fresh_browser, live_server, settings
):
    settings.SITE_URL = live_server.url  # share links are built on SITE_URL, the public address
    make_user("carla", "Contributor", author=True, password=PASSWORD)
    make_user("edith", "Editor", password=PASSWORD)
    wait = WebDriverWait(browser, 15)

    # The contributor writes an article and submits it for review.
    sign_in(browser, live_server, "carla", PASSWORD)
    browser.get(f"{live_server.url}/admin/articles/article/add/")
    status = Select(browser.find_element(By.ID, "id_status"))
    assert [option.get_attribute("value") for option in status.options] == ["draft", "review"]
    browser.find_element(By.ID, "id_title").send_keys(TITLE)
    browser.find_element(By.ID, "id_dek").send_keys(DEK)
    editor = wait.until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, ".field-body .ProseMirror[contenteditable='true']"))
    )
    editor.click()
    editor.send_keys(BODY)
    wait.until(lambda _: BODY in editor.text)
    browser.find_element(By.ID, "id_people").send_keys("Vladimir Putin, Xi Jinping")
    status.select_by_value("review")
    submit(browser, browser.find_element(By.XPATH, "//input[@type='submit' and @value='Save']"))
    assert "added successfully" in saved_message(browser)

    article = Article.objects.get(slug=slugify(TITLE))
    assert article.status == Status.REVIEW
    assert [author.name for author in article.authors.all()] == ["Carla"]
    # Submitted, it is read-only to her.
    browser.get(f"{live_server.url}{article.get_admin_url()}")
    assert not browser.find_elements(By.XPATH, "//input[@type='submit' and @value='Save']")

    # The editor opens the review queue from the admin index.
    sign_in(browser, live_server, "edith", PASSWORD)
    browser.find_element(By.PARTIAL_LINK_TEXT, "1 article submitted for review").click()
    wait.until(EC.url_contains("status__exact=review"))
    browser.find_element(By.LINK_TEXT, TITLE).click()
    wait.until(EC.presence_of_element_located((By.ID, "id_title")))

    # …previews an unsaved headline in a new tab; nothing is saved.
    form_tab = browser.current_window_handle
    title = browser.find_element(By.ID, "id_title")
    title.clear()
    title.send_keys("Talks run past midnight")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit][value=Preview]").click()
    wait.until(lambda d: len(d.window_handles) == 2)
    browser.switch_to.window(next(h for h in browser.window_handles if h != form_tab))
    headline = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "h1.article__title")))
    assert headline.text == "Talks run past midnight"
    assert "Preview of unsaved changes" in browser.find_element(By.CSS_SELECTOR, ".preview-banner").text
    assert "Vladimir Putin" in browser.find_element(By.TAG_NAME, "body").text
    browser.close()
    browser.switch_to.window(form_tab)
    article.refresh_from_db()
    assert article.title == TITLE

    # …schedules it for tomorrow, keeping the original headline.
    title.clear()
    title.send_keys(TITLE)
    when = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    Select(browser.find_element(By.ID, "id_status")).select_by_value("published")
    browser.find_element(By.ID, "id_published_at_0").send_keys(f"{when:%Y-%m-%d}")
    browser.find_element(By.ID, "id_published_at_1").send_keys(f"{when:%H:%M:%S}")
    submit(
        browser,
        browser.find_element(By.XPATH, "//input[@type='submit' and @value='Save and continue editing']"),
    )
    assert "changed successfully" in saved_message(browser)
    article.refresh_from_db()
    assert article.is_scheduled is True
    assert article.published_at == when
    assert (
        f"Scheduled for {when:%-d %b %Y, %H:%M}" in browser.find_element(By.CSS_SELECTOR, ".field-state").text
    )

    # …and makes a share link for a fact-checker.
    browser.find_element(By.ID, "id_share-note").send_keys("Fact-check, Anna")
    submit(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Make share link']"))
    assert "Share link made" in saved_message(browser)
    link = browser.find_element(By.CSS_SELECTOR, "#share-links .share-link__url").get_attribute("value")
    assert link.startswith(f"{live_server.url}/preview/")

    # Someone with no account opens the link in a separate browser.
    fresh_browser.get(link)
    headline = WebDriverWait(fresh_browser, 15).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
    assert headline.text == TITLE
    assert "not published yet" in fresh_browser.find_element(By.CSS_SELECTOR, ".preview-banner").text
    assert BODY in fresh_browser.find_element(By.TAG_NAME, "body").text
    assert (
        fresh_browser.find_element(By.CSS_SELECTOR, "meta[name=robots]")
        .get_attribute("content")
        .startswith("noindex")
    )
    assert not any(cookie["name"] == "sessionid" for cookie in fresh_browser.get_cookies())
    # The article itself is still hidden from readers until its time.
    fresh_browser.get(f"{live_server.url}{article.get_absolute_url()}")
    assert "Kremlin talks" not in fresh_browser.find_element(By.TAG_NAME, "body").text
