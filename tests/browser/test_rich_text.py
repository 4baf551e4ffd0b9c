"""A reader's page with figures in real Chromium: nothing third-party loads until "play".

The browser logs every request it makes (Chrome's performance log). Before the click
all of them go to the live server; the click inserts the provider's iframe, and the
next request goes to its embed host (it fails offline, which is fine: it was asked for).
"""

import json
import shutil
import tempfile
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import CHROMIUM_FLAGS
from tests.builders import make_article, make_image

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def requested_hosts(driver):
    hosts = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith(("http://", "https://")):
                hosts.append(urlsplit(url).netloc)
    return hosts


@pytest.fixture
def logging_browser(live_server):
    with tempfile.TemporaryDirectory(prefix="holr-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        driver = webdriver.Chrome(
            options=options, service=webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
        )
        try:
            yield driver
        finally:
            driver.quit()


@pytest.mark.browser
def test_reader_sees_figures_and_the_embed_loads_only_after_play(logging_browser, live_server):
    browser = logging_browser
    photos = [make_image(alt=f"Photo {n}", credit="HOLR Photo Desk") for n in range(3)]
    article = make_article(
        title="A state visit in pictures",
        body=(
            f'<p>Arrival.</p><figure data-image="{photos[0].pk}" data-size="wide"><figcaption>Crowds</figcaption></figure>'
            f'<figure data-gallery="{",".join(str(p.pk) for p in photos)}"><figcaption>Day one</figcaption></figure>'
            f'<figure data-embed="{YOUTUBE}"><figcaption>The arrival, filmed</figcaption></figure>'
            '<figure data-pullquote=""><blockquote><p>Nobody expected a deal.</p></blockquote></figure>'
            "<table><thead><tr><th>A</th><th>B</th><th>C</th></tr></thead>"
            "<tbody><tr><td>1</td><td>2</td><td>3</td></tr><tr><td>4</td><td>5</td><td>6</td></tr></tbody></table>"
        ),
    )
    # A 390 px phone (a headless window cannot be made that narrow).
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    browser.get(f"{live_server.url}{article.get_absolute_url()}")
    wait = WebDriverWait(browser, 15)
    play = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".embed__play"))
    wait.until(lambda d: play.is_displayed())  # our script woke the button

    assert len(browser.find_elements(By.CSS_SELECTOR, ".figure--wide picture img")) == 1
    assert len(browser.find_elements(By.CSS_SELECTOR, ".gallery picture img")) == 3
    assert browser.find_element(By.CSS_SELECTOR, ".pullquote blockquote").text == "Nobody expected a deal."
    assert len(browser.find_elements(By.CSS_SELECTOR, ".prose table td")) == 6
    assert browser.find_elements(By.TAG_NAME, "iframe") == []
    # The gallery fits a 390 px phone: nothing wider than the viewport.
    wide = browser.execute_script(
        "return [innerWidth, document.documentElement.scrollWidth, [...document.querySelectorAll('.prose *')]"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 1).map(e => e.tagName + '.' + e.className)]"
    )
    assert wide == [390, 390, []]

    site = urlsplit(live_server.url).netloc
    before = requested_hosts(browser)
    assert before and set(before) == {site}

    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})  # clicks land where Selenium aims
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", play)
    play.click()
    frame = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "iframe.embed__frame"))
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    after = []  # the log is handed over once: gather it until the player's request shows
    wait.until(lambda d: after.extend(requested_hosts(d)) or "www.youtube-nocookie.com" in after)
