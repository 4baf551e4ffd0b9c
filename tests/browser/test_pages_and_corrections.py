"""In Chromium: an editor writes and publishes an About page, then adds a correction to a
published article; a reader finds the page in the footer and the correction at the story's end."""

import pytest
from django.utils.text import slugify
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import sign_in
from tests.builders import make_article, role_group

USERNAME, PASSWORD = "edna", "a-long-test-password"
CORRECTION = "An earlier version misstated the length of the talks."


@pytest.mark.browser
def test_editor_publishes_a_page_and_corrects_an_article_reader_sees_both(
    browser, live_server, django_user_model
):
    editor = django_user_model.objects.create_user(USERNAME, "edna@example.com", PASSWORD, is_staff=True)
    editor.groups.add(role_group("Editor"))
    article = make_article(title="Talks in Moscow", slug="talks-in-moscow")
    wait = WebDriverWait(browser, 15)
    sign_in(browser, live_server, USERNAME, PASSWORD)

    # The page: the admin's JS fills the slug from the title; the body is the prose editor.
    browser.get(f"{live_server.url}/admin/pages/page/add/")
    browser.find_element(By.ID, "id_title").send_keys("About HOLR")
    slug = browser.find_element(By.ID, "id_slug")
    wait.until(lambda _: slug.get_attribute("value") == slugify("About HOLR"))
    body = wait.until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, ".field-body .ProseMirror[contenteditable='true']"))
    )
    body.click()
    body.send_keys("An independent magazine.")
    browser.find_element(By.ID, "id_is_published").click()
    browser.find_element(By.XPATH, "//input[@type='submit' and @value='Save']").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist .success"))

    # The correction: the inline's "add another" row, kind, text; the time defaults to now.
    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    browser.execute_script("document.querySelectorAll('#notes-group details').forEach(d => d.open = true)")
    add = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#notes-group .add-row a")))
    add.click()
    Select(browser.find_element(By.ID, "id_notes-0-kind")).select_by_value("correction")
    browser.find_element(By.ID, "id_notes-0-text").send_keys(CORRECTION)
    browser.find_element(By.XPATH, "//input[@type='submit' and @value='Save']").click()
    outcome = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist .success, .errornote"))[0]
    assert "success" in outcome.get_attribute("class"), outcome.text

    # The reader: the footer links the page; the story ends with the dated correction.
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/articles/talks-in-moscow/")
    footer_links = browser.find_elements(By.CSS_SELECTOR, "nav[aria-label='About the magazine'] a")
    assert [link.text for link in footer_links] == ["About HOLR"]
    note = browser.find_element(By.CSS_SELECTOR, ".article__notes li")
    assert note.text.startswith("Correction, ") and note.text.endswith(f": {CORRECTION}")
    footer_links[0].click()
    wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "About HOLR")
    assert "An independent magazine." in browser.find_element(By.CSS_SELECTOR, ".article__body").text
