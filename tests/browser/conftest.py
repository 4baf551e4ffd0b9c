"""A real browser for tests/browser/: Debian's Chromium, headless, driven by Selenium.

The binaries are always passed explicitly so Selenium Manager never downloads a
browser or driver. Without them these tests fail: `make test` installs them.
"""

import shutil
import tempfile
from contextlib import contextmanager

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

WINDOW_SIZE = "1280,1000"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    f"--window-size={WINDOW_SIZE}",
]


@pytest.fixture(scope="session")
def browser(django_db_setup, live_server):
    """One headless Chromium for the session.

    It quits before the live server stops and before the test database is dropped:
    its keep-alive requests hold database connections (on SQLite, the shared
    in-memory one) until the browser closes them.
    """
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        pytest.fail(
            "Browser tests need Debian's Chromium and chromedriver on PATH "
            f"(found chromium={chromium}, chromedriver={chromedriver}). "
            "Run `make test` (it installs them) or: sudo apt-get install -y chromium chromium-driver",
            pytrace=False,
        )
    with chromium_driver(chromium, chromedriver) as driver:
        yield driver


@contextmanager
def chromium_driver(chromium, chromedriver):
    """A Chromium with its own new profile: no cookies, no session, nothing cached."""
    with tempfile.TemporaryDirectory(prefix="holr-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(
            options=options, service=webdriver.ChromeService(executable_path=chromedriver)
        )
        driver.set_page_load_timeout(30)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture
def fresh_browser(browser):
    """A second, separate Chromium (a fresh browser context) for a visitor with no account."""
    with chromium_driver(shutil.which("chromium"), shutil.which("chromedriver")) as driver:
        yield driver


def sign_in(browser, live_server, username, password):
    """Sign in through the admin's own login form, starting from no cookies."""
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form input[type=submit]").click()
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "user-tools")))


@contextmanager
def script_on_every_page(browser, source):
    """Run `source` in every document the browser opens, before the page's own scripts."""
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": source})
    try:
        yield browser
    finally:
        browser.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
        )
