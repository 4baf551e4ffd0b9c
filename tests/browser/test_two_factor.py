"""A person stuck at the two-factor code page can still sign out (issue 13, defect 1)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

USERNAME, PASSWORD = "editor", "a-long-test-password"


@pytest.mark.browser
def test_sign_out_from_the_code_page(browser, live_server, django_user_model):
    """ "Not you? Sign out" signs out (Django 5 accepts only POST) and the admin asks for a password again."""
    user = django_user_model.objects.create_user(USERNAME, "editor@example.com", PASSWORD, is_staff=True)
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    wait = WebDriverWait(browser, 15)
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.ID, "id_username").send_keys(USERNAME)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form input[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "two-factor-form")))

    browser.find_element(By.CSS_SELECTOR, ".two-factor__signout").click()

    wait.until(EC.url_contains("/admin/logout/"))
    assert "405" not in browser.title
    assert "Logged out" in browser.find_element(By.TAG_NAME, "body").text
    browser.get(f"{live_server.url}/admin/")
    wait.until(EC.presence_of_element_located((By.ID, "login-form")))
    assert "sessionid" not in {cookie["name"] for cookie in browser.get_cookies()}
