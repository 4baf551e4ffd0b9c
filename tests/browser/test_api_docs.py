"""/api/v1/docs/ shows the API's operations in a real browser, from vendored assets, under the site's CSP."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_content_security_policy import (  # noqa: F401  (a fixture)
    recording_browser,
    violations,
)


@pytest.mark.browser
def test_docs_page_lists_the_operations_without_script_violations(recording_browser, live_server):  # noqa: F811
    recording_browser.delete_all_cookies()
    recording_browser.get(f"{live_server.url}/api/v1/docs/")
    WebDriverWait(recording_browser, 20).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[data-path='/api/v1/articles/']"))
    )
    paths = {
        e.get_attribute("data-path") for e in recording_browser.find_elements(By.CSS_SELECTOR, "[data-path]")
    }
    assert {"/api/v1/articles/", "/api/v1/articles/{slug}/", "/api/v1/search/"} <= paths
    # Scripts and the schema all come from this site; Swagger UI's inline style attributes are
    # refused by style-src 'self' (cosmetic), and nothing else is.
    blocked = [v for v in violations(recording_browser) if not v.startswith("style-src")]
    assert blocked == []
    assert all(
        e.get_attribute("src").startswith(live_server.url)
        for e in recording_browser.find_elements(By.TAG_NAME, "script")
        if e.get_attribute("src")
    )
