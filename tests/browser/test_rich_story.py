"""An editor builds a story with pictures, video, a pull quote and a table in the admin (issue 10).

The journey of issue 10's "Done when": the toolbar's dialogs insert exactly the stored
format of docs/rich-text.md ("references, not copies"), the form saves, the richtext
sanitizer keeps it, and a reader (a fresh Chromium that logs every request it makes)
sees each figure with nothing loaded from any host but the site until "Play" is clicked.
"""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Article, Status
from tests.browser.conftest import script_on_every_page, sign_in
from tests.browser.test_content_security_policy import RECORD_VIOLATIONS, violations
from tests.browser.test_rich_text import logging_browser, requested_hosts  # noqa: F401 (a fixture)
from tests.builders import make_article, make_image

USERNAME, PASSWORD = "picture-editor", "a-long-test-password"
VIDEO = "https://www.youtube.com/watch?v=jNQXAC9IVRw"
QUOTE = "We did not come to Moscow to talk about the weather."
TABLE = [["Year", "City", "Visitors"], ["2019", "Moscow", "1,200"], ["2023", "Beijing", "3,400"]]

EDITOR = ".field-body .ProseMirror[contenteditable='true']"


def toolbar_button(browser, label):
    return browser.find_element(By.CSS_SELECTOR, f".field-body .prose-menubar button[aria-label='{label}']")


def open_dialog(browser, wait, label):
    toolbar_button(browser, label).click()
    return wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "dialog.story-dialog[open]")))


def labelled(dialog, text):
    """The dialog's field whose <label> says `text`."""
    label = dialog.find_element(By.XPATH, f".//label[normalize-space()='{text}']")
    return dialog.find_element(By.ID, label.get_attribute("for"))


def pick(dialog, wait, alt):
    choice = f".//label[.//span[normalize-space()='{alt}']]"
    wait.until(lambda _: dialog.find_element(By.XPATH, choice)).click()


def submit(browser, wait, dialog):
    dialog.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda _: not browser.find_elements(By.CSS_SELECTOR, "dialog.story-dialog"))


def body_value(browser):
    return browser.execute_script("return document.getElementById('id_body').value")


def expected_body(crowds, gallery):
    head = "".join(f"<th>{cell}</th>" for cell in TABLE[0])
    rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in TABLE[1:])
    return (
        "<p>The visit began in the rain.</p>"
        f'<figure data-image="{crowds.pk}" data-size="wide">'
        "<figcaption>Crowds in Red Square</figcaption></figure>"
        f'<figure data-gallery="{",".join(str(image.pk) for image in gallery)}">'
        "<figcaption>Three days in Moscow</figcaption></figure>"
        f'<figure data-embed="{VIDEO}"><figcaption>The arrival, filmed by a reader</figcaption></figure>'
        f'<figure data-pullquote=""><blockquote><p>{QUOTE}</p></blockquote>'
        "<figcaption>A member of the delegation</figcaption></figure>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


@pytest.fixture
def recording_browser(browser):
    with script_on_every_page(browser, RECORD_VIOLATIONS):
        yield browser


@pytest.mark.browser
def test_editor_inserts_image_gallery_embed_pull_quote_and_table_and_a_reader_sees_them(
    recording_browser,
    logging_browser,  # noqa: F811  (the fixture)
    live_server,
    django_user_model,
):
    """The whole journey: inserted, saved as the stored format, and read with nothing
    third-party requested before "Play", and the player's host requested after."""
    browser = recording_browser
    django_user_model.objects.create_superuser(USERNAME, "pictures@example.com", PASSWORD)
    crowds = make_image(alt="Crowds in Red Square", credit="HOLR Photo Desk")
    gallery = [
        make_image(alt="The Kremlin at dawn", credit="Anna K."),
        make_image(alt="A tram on Tverskaya Street", credit="Anna K."),
        make_image(alt="Snow on the Moskva", credit="Anna K."),
    ]
    wait = WebDriverWait(browser, 15)
    sign_in(browser, live_server, USERNAME, PASSWORD)

    browser.get(f"{live_server.url}/admin/articles/article/add/")
    browser.find_element(By.ID, "id_title").send_keys("Three days in Moscow")
    browser.find_element(By.ID, "id_dek").send_keys("A state visit in pictures.")
    editor = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, EDITOR)))
    editor.click()
    editor.send_keys("The visit began in the rain.")

    # A library image, wide, with a caption for this use: found by its alt text.
    dialog = open_dialog(browser, wait, "Insert an image from the library")
    assert dialog.get_attribute("aria-labelledby")
    title = dialog.find_element(By.ID, dialog.get_attribute("aria-labelledby"))
    assert title.text == "Insert an image"
    labelled(dialog, "Search the library").send_keys("crowds")
    wait.until(lambda _: len(dialog.find_elements(By.CSS_SELECTOR, ".story-picker__results li")) == 1)
    pick(dialog, wait, "Crowds in Red Square")
    labelled(dialog, "Wide").click()
    labelled(dialog, "Caption").send_keys("Crowds in Red Square")
    submit(browser, wait, dialog)
    figure = wait.until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".ProseMirror .story-figure--image"))
    )
    # The editor shows the library's thumbnail, with the library's alt text.
    wait.until(lambda _: figure.find_elements(By.CSS_SELECTOR, ".story-figure__preview img"))
    thumbnail = figure.find_element(By.CSS_SELECTOR, ".story-figure__preview img")
    assert thumbnail.get_attribute("alt") == crowds.alt

    # A gallery of three, in the order chosen.
    dialog = open_dialog(browser, wait, "Insert a gallery of library images")
    for image in gallery:
        pick(dialog, wait, image.alt)
    labelled(dialog, "Gallery caption").send_keys("Three days in Moscow")
    submit(browser, wait, dialog)
    thumbnails = ".story-figure--gallery .story-figure__preview img"
    wait.until(lambda _: len(browser.find_elements(By.CSS_SELECTOR, thumbnails)) == 3)

    # A YouTube link: an unknown site is refused first, and what was typed stays.
    dialog = open_dialog(browser, wait, "Embed a video, audio or post")
    link = labelled(dialog, "Link")
    link.send_keys("https://example.com/clip")
    labelled(dialog, "Caption").send_keys("The arrival, filmed by a reader")
    dialog.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    error = wait.until(lambda _: dialog.find_element(By.CSS_SELECTOR, ".story-dialog__error").text)
    assert "cannot be embedded" in error and "YouTube" in error and "Vimeo" in error
    assert labelled(dialog, "Caption").get_attribute("value") == "The arrival, filmed by a reader"
    link.clear()
    link.send_keys(VIDEO)
    submit(browser, wait, dialog)

    # A pull quote with its attribution.
    dialog = open_dialog(browser, wait, "Insert a pull quote")
    labelled(dialog, "Quote").send_keys(QUOTE)
    labelled(dialog, "Attribution").send_keys("A member of the delegation")
    submit(browser, wait, dialog)

    # A 3×3 table: a header row and two rows, filled cell by cell with Tab.
    dialog = open_dialog(browser, wait, "Insert a table")
    assert labelled(dialog, "Rows, the header row included").get_attribute("value") == "3"
    assert labelled(dialog, "Columns").get_attribute("value") == "3"
    submit(browser, wait, dialog)
    active = browser.switch_to.active_element
    cells = [cell for row in TABLE for cell in row]
    for index, cell in enumerate(cells):
        active.send_keys(cell)
        if index < len(cells) - 1:
            active.send_keys(Keys.TAB)

    expected = expected_body(crowds, gallery)
    wait.until(lambda _: body_value(browser) == expected)

    browser.find_element(By.XPATH, "//input[@type='submit' and @value='Save and continue editing']").click()
    outcome = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".messagelist .success, .errornote"))[0]
    assert "errornote" not in outcome.get_attribute("class"), outcome.text
    assert violations(browser) == []
    article = Article.objects.get()

    assert article.body == expected
    wait.until(lambda _: len(browser.find_elements(By.CSS_SELECTOR, ".ProseMirror .story-figure")) == 4)
    assert body_value(browser) == expected

    # Published (the admin's own publishing is tests/browser/test_editor_publishes.py), the
    # story is read by a visitor with no cookies in a Chromium that logs every request.
    article.status, article.published_at = Status.PUBLISHED, timezone.now()
    article.save()
    reader_sees_each_figure_and_nothing_third_party_before_play(logging_browser, live_server, article, crowds)


def words(element):
    """The element's text as written (the credit is set in capitals by CSS)."""
    return " ".join(element.get_attribute("textContent").split())


def reader_sees_each_figure_and_nothing_third_party_before_play(reader, live_server, article, crowds):
    wait = WebDriverWait(reader, 15)
    reader.get(live_server.url + article.get_absolute_url())
    play = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".embed__play"))
    wait.until(lambda _: play.is_displayed())  # our own script woke the button
    prose = reader.find_element(By.CSS_SELECTOR, "main .prose")

    # The wide picture: a <picture> in its figure, the library's alt text, caption and credit below.
    wide = prose.find_element(By.CSS_SELECTOR, "figure.figure--wide")
    assert wide.find_element(By.CSS_SELECTOR, "picture img").get_attribute("alt") == crowds.alt
    assert words(wide.find_element(By.TAG_NAME, "figcaption")) == "Crowds in Red Square HOLR Photo Desk"
    # The gallery of three, in the order chosen.
    gallery = prose.find_element(By.CSS_SELECTOR, "figure.figure--gallery")
    assert [img.get_attribute("alt") for img in gallery.find_elements(By.CSS_SELECTOR, "picture img")] == [
        "The Kremlin at dawn",
        "A tram on Tverskaya Street",
        "Snow on the Moskva",
    ]
    assert words(gallery.find_element(By.TAG_NAME, "figcaption")) == "Three days in Moscow Anna K."
    # The embed is our own placeholder: the provider's name, the button, a plain link, the caption.
    embed = prose.find_element(By.CSS_SELECTOR, "figure.embed")
    assert embed.find_element(By.CSS_SELECTOR, ".embed__provider").text == "YouTube"
    assert play.text == "Play on YouTube"
    assert embed.find_element(By.CSS_SELECTOR, "a.embed__link").get_attribute("href") == VIDEO
    assert "The arrival, filmed by a reader" in embed.text
    assert reader.find_elements(By.TAG_NAME, "iframe") == []
    # The pull quote with its attribution, and the 3×3 table.
    quote = prose.find_element(By.CSS_SELECTOR, "figure.pullquote")
    assert quote.find_element(By.TAG_NAME, "blockquote").text == QUOTE
    assert quote.find_element(By.TAG_NAME, "figcaption").text == "A member of the delegation"
    rows = prose.find_elements(By.CSS_SELECTOR, "table tr")
    assert [[cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")] for row in rows] == TABLE

    # Every request so far went to the site; lazy pictures further down included.
    reader.execute_script("window.scrollTo(0, document.documentElement.scrollHeight)")
    wait.until(lambda d: d.execute_script("return [...document.images].every(img => img.complete)"))
    site = urlsplit(live_server.url).netloc
    before = requested_hosts(reader)
    assert before and set(before) == {site}

    reader.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", play)
    play.click()
    frame = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "figure.embed iframe.embed__frame"))
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw"
    after = []  # the log is handed over once: gather it until the player's request shows
    wait.until(lambda d: after.extend(requested_hosts(d)) or "www.youtube-nocookie.com" in after)
    assert set(after) <= {site, "www.youtube-nocookie.com"}, after


def axe_violations_in(browser, selector):
    """axe-core's WCAG 2.2 AA and best-practice violations inside the element `selector`."""
    from tests.browser.test_accessibility import AXE_OPTIONS, AXE_SOURCE

    browser.execute_script(AXE_SOURCE)
    violations = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document.querySelector(arguments[1]), arguments[0])"
        ".then(results => done(results.violations),"
        "      error => done([{id: 'axe-error', help: String(error)}]));",
        AXE_OPTIONS,
        selector,
    )
    return [
        f"{v['id']}: {v['help']} at {[n.get('target') for n in v.get('nodes', [])][:3]}" for v in violations
    ]


@pytest.mark.browser
def test_stored_figures_reopen_in_the_editor_and_write_back_unchanged_and_pass_axe(
    recording_browser, live_server, django_user_model
):
    """A saved story opens with each figure shown (thumbnails, caption fields) and its markup kept."""
    browser = recording_browser
    django_user_model.objects.create_superuser(USERNAME, "pictures@example.com", PASSWORD)
    crowds = make_image(alt="Crowds in Red Square")
    gallery = [make_image(alt=f"Moscow, day {day}") for day in (1, 2, 3)]
    stored = expected_body(crowds, gallery)
    article = make_article(title="Three days in Moscow")
    Article.objects.filter(pk=article.pk).update(body=stored)
    wait = WebDriverWait(browser, 15)
    sign_in(browser, live_server, USERNAME, PASSWORD)

    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    wait.until(lambda _: len(browser.find_elements(By.CSS_SELECTOR, ".story-figure__preview img")) == 4)
    figures = browser.find_elements(By.CSS_SELECTOR, ".ProseMirror .story-figure")
    assert [f.find_element(By.CSS_SELECTOR, ".story-figure__label").text for f in figures] == [
        "Image, wide: Crowds in Red Square",
        "Gallery of 3 images",
        "Embed from www.youtube.com",
        "Pull quote",
    ]
    thumbnails = browser.find_elements(By.CSS_SELECTOR, ".story-figure__preview img")
    previews = [img.get_attribute("alt") for img in thumbnails]
    assert previews == ["Crowds in Red Square", "Moscow, day 1", "Moscow, day 2", "Moscow, day 3"]
    assert [th.text for th in browser.find_elements(By.CSS_SELECTOR, ".ProseMirror table th")] == TABLE[0]
    assert violations(browser) == []  # before axe, which injects styles of its own
    assert axe_violations_in(browser, ".field-body") == []

    # From the text, Tab reaches the figure's own fields, then its Remove button.
    browser.find_element(By.CSS_SELECTOR, f"{EDITOR} > p").click()
    reached = []
    for _ in range(3):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        reached.append(browser.switch_to.active_element)
    assert reached == [
        labelled(figures[0], "Size"),
        labelled(figures[0], "Caption"),
        figures[0].find_element(By.CSS_SELECTOR, ".story-figure__remove"),
    ]

    # An edit to the caption is written back in place; everything else is unchanged.
    caption = labelled(figures[0], "Caption")
    caption.send_keys(Keys.END, ", at noon")
    wait.until(lambda _: "Crowds in Red Square, at noon" in body_value(browser))
    assert body_value(browser) == stored.replace(
        "Crowds in Red Square</figcaption>", "Crowds in Red Square, at noon</figcaption>", 1
    )
    assert browser.find_element(By.CSS_SELECTOR, "input[type=submit][value=Save]").is_enabled()

    # The size is a select; "Remove image" takes the figure out.
    select = labelled(figures[0], "Size")
    select.send_keys("Full")
    wait.until(lambda _: 'data-size="full"' in body_value(browser))
    figures[0].find_element(By.XPATH, ".//button[normalize-space()='Remove image']").click()
    wait.until(lambda _: "data-image" not in body_value(browser))
    assert body_value(browser).startswith(
        f'<p>The visit began in the rain.</p><figure data-gallery="{gallery[0].pk},'
    )

    # The picker dialog: labelled, and axe finds nothing in it.
    dialog = open_dialog(browser, wait, "Insert an image from the library")
    wait.until(lambda _: len(dialog.find_elements(By.CSS_SELECTOR, ".story-picker__results li")) == 4)
    assert axe_violations_in(browser, "dialog.story-dialog") == []
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Cancel']").click()
    wait.until(lambda _: not browser.find_elements(By.CSS_SELECTOR, "dialog.story-dialog"))
    for label in ("Embed a video, audio or post", "Insert a pull quote", "Insert a table"):
        open_dialog(browser, wait, label)
        assert axe_violations_in(browser, "dialog.story-dialog") == [], label
        browser.switch_to.active_element.send_keys(Keys.ESCAPE)  # Escape closes it
        wait.until(lambda _: not browser.find_elements(By.CSS_SELECTOR, "dialog.story-dialog"))


@pytest.mark.browser
def test_editor_uploads_a_new_image_from_the_picker_alt_text_required(
    recording_browser, live_server, django_user_model, tmp_path
):
    """As the lead image's "+" does: the library's rules, alt text required; the new image is chosen."""
    from images.models import Image
    from tests.builders import image_bytes

    browser = recording_browser
    django_user_model.objects.create_superuser(USERNAME, "pictures@example.com", PASSWORD)
    photo = tmp_path / "tverskaya.jpg"
    photo.write_bytes(image_bytes(width=1200, height=800))
    wait = WebDriverWait(browser, 15)
    sign_in(browser, live_server, USERNAME, PASSWORD)
    browser.get(f"{live_server.url}/admin/articles/article/add/")
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, EDITOR))).click()

    dialog = open_dialog(browser, wait, "Insert an image from the library")
    wait.until(lambda _: "No image in the library matches" in dialog.text)
    dialog.find_element(By.XPATH, ".//summary[normalize-space()='Upload a new image']").click()
    labelled(dialog, "Image file").send_keys(str(photo))
    labelled(dialog, "Credit").send_keys("Anna K.")
    upload = dialog.find_element(By.XPATH, ".//button[normalize-space()='Upload to the library']")
    upload.click()
    error = dialog.find_element(By.CSS_SELECTOR, ".story-dialog__error")
    wait.until(lambda _: error.text.startswith("Alt text is required"))
    assert not Image.objects.exists()
    assert labelled(dialog, "Credit").get_attribute("value") == "Anna K."  # nothing typed is lost

    labelled(dialog, "Alt text (required)").send_keys("A tram on Tverskaya Street")
    upload.click()
    wait.until(lambda _: "Uploaded “A tram on Tverskaya Street” and selected it." in dialog.text)
    image = Image.objects.get()
    assert (image.alt, image.credit) == ("A tram on Tverskaya Street", "Anna K.")
    assert (image.width, image.height) == (1200, 800)
    chosen = dialog.find_element(By.CSS_SELECTOR, f".story-picker__results input[value='{image.pk}']")
    assert chosen.is_selected()
    submit(browser, wait, dialog)
    inserted = f'<figure data-image="{image.pk}" data-size="inline"></figure>'
    wait.until(lambda _: body_value(browser) == inserted)
    assert violations(browser) == []
