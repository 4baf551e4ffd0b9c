"""An editor writes, tags and publishes an article in the admin; a reader finds it and follows a person."""

import pytest
from django.utils.text import slugify
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import sign_in

TITLE = "Xi and Putin meet in Moscow"
DEK = "Two leaders, one long table and a carefully worded joint statement."
BODY = "The talks in the Kremlin ran past midnight."
PEOPLE, PLACES, EVENTS = "Vladimir Putin, Xi Jinping", "Moscow", "Xi's 2023 state visit to Moscow"
USERNAME, PASSWORD = "editor", "a-long-test-password"


def heading_group(browser, text):
    """The element that holds a heading with this text (e.g. the article's People group)."""
    heading = browser.find_element(
        By.XPATH, f"//*[self::h2 or self::h3 or self::h4][normalize-space()='{text}']"
    )
    return heading.find_element(By.XPATH, "..")


def link_texts(element):
    return [link.text.strip() for link in element.find_elements(By.TAG_NAME, "a")]


@pytest.mark.browser
def test_editor_writes_and_publishes_article_reader_follows_person_link(
    browser, live_server, django_user_model
):
    django_user_model.objects.create_superuser(USERNAME, "editor@example.com", PASSWORD)
    wait = WebDriverWait(browser, 15)

    # The editor signs in through the admin's login form.
    sign_in(browser, live_server, USERNAME, PASSWORD)

    # …writes the article: the admin's JS fills the slug from the title.
    browser.get(f"{live_server.url}/admin/articles/article/add/")
    browser.find_element(By.ID, "id_title").send_keys(TITLE)
    slug = browser.find_element(By.ID, "id_slug")
    wait.until(lambda _: slug.get_attribute("value") == slugify(TITLE))
    browser.find_element(By.ID, "id_dek").send_keys(DEK)

    editor = wait.until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, ".field-body .ProseMirror[contenteditable='true']"))
    )
    editor.click()
    editor.send_keys(BODY)
    wait.until(lambda _: BODY in editor.text)

    browser.find_element(By.ID, "id_people").send_keys(PEOPLE)
    browser.find_element(By.ID, "id_places").send_keys(PLACES)
    browser.find_element(By.ID, "id_events").send_keys(EVENTS)
    Select(browser.find_element(By.ID, "id_status")).select_by_value("published")
    browser.find_element(By.XPATH, "//input[@type='submit' and @value='Save']").click()

    outcome = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist .success, .errornote"))[0]
    if "errornote" in outcome.get_attribute("class"):
        errors = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".errorlist")]
        pytest.fail(f"The admin rejected the article: {outcome.text} {errors}")
    assert TITLE in outcome.text and "added successfully" in outcome.text, outcome.text

    # A reader (no session) opens the article.
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/articles/{slugify(TITLE)}/")
    headline = wait.until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
    assert headline.text == TITLE
    page_text = browser.find_element(By.TAG_NAME, "body").text
    assert DEK in page_text
    assert BODY in page_text

    # Each name is one tag: "Vladimir Putin" is one link under People, not two.
    people = heading_group(browser, "People")
    assert sorted(link_texts(people)) == ["Vladimir Putin", "Xi Jinping"]
    assert link_texts(heading_group(browser, "Places")) == ["Moscow"]
    assert link_texts(heading_group(browser, "Events")) == [EVENTS]
    assert len(browser.find_elements(By.LINK_TEXT, "Vladimir Putin")) == 1

    # …and follows the person to their page, which lists the article.
    people.find_element(By.LINK_TEXT, "Vladimir Putin").click()
    wait.until(EC.url_contains("/people/vladimir-putin/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Vladimir Putin"
    article_link = browser.find_element(By.LINK_TEXT, TITLE)
    assert article_link.get_attribute("href").endswith(f"/articles/{slugify(TITLE)}/")
