"""Two editors race on one article; tag fields suggest existing people. In Debian's Chromium."""

import shutil
import tempfile

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.test import Client
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Article, Person, Status
from tests.browser.conftest import CHROMIUM_FLAGS
from tests.builders import make_article

EDITOR_PERMISSIONS = [
    "add_article",
    "change_article",
    "view_article",
    "delete_article",
    "publish_article",
    "view_person",
]


def make_editor(username):
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS)
    )
    return user


def sign_in(driver, live_server, user):
    """Sign `user` in by handing the browser a session cookie (the login form has its own test)."""
    client = Client()
    client.force_login(user)
    driver.delete_all_cookies()
    driver.get(f"{live_server.url}/admin/login/")
    driver.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )


@pytest.fixture
def second_browser(browser):
    """Another editor's Chromium, with its own profile and cookies."""
    with tempfile.TemporaryDirectory(prefix="holr-chromium-b-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(
            options=options, service=webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
        )
        driver.set_page_load_timeout(30)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_second_editor_is_warned_and_keeps_their_text(browser, second_browser, live_server):
    article = make_article(title="Xi arrives in Moscow", status=Status.DRAFT, published_at=None)
    anna, boris = make_editor("anna"), make_editor("boris")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    sign_in(browser, live_server, anna)
    sign_in(second_browser, live_server, boris)

    # Both open the article.
    browser.get(url)
    second_browser.get(url)

    # Anna changes the headline and saves first.
    title = browser.find_element(By.ID, "id_title")
    title.clear()
    title.send_keys("Xi lands in Moscow for talks")
    browser.find_element(By.NAME, "_continue").click()
    WebDriverWait(browser, 15).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success"))
    )

    # Boris, on the form he opened before her save, writes his own dek and saves.
    boris_dek = "Boris's standfirst: the visit is about gas, not friendship."
    dek = second_browser.find_element(By.ID, "id_dek")
    dek.clear()
    dek.send_keys(boris_dek)
    second_browser.find_element(By.NAME, "_continue").click()

    warning = WebDriverWait(second_browser, 15).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".revision-conflict"))
    )
    assert "Not saved: anna saved this article" in warning.text
    assert "Xi lands in Moscow for talks" in warning.text  # what Anna changed
    assert second_browser.find_element(By.ID, "id_dek").get_attribute("value") == boris_dek
    assert Article.objects.get(pk=article.pk).title == "Xi lands in Moscow for talks"

    # Having read it, Boris saves again: his dek goes in, Anna's headline stays in the history.
    second_browser.find_element(By.NAME, "_continue").click()
    WebDriverWait(second_browser, 15).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success"))
    )
    assert Article.objects.get(pk=article.pk).dek == boris_dek


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_people_field_suggests_an_existing_person(browser, live_server):
    Person.objects.create(name="Vladimir Putin")
    Person.objects.create(name="Volodymyr Zelensky")
    article = make_article(people=["Xi Jinping"])
    sign_in(browser, live_server, make_editor("anna"))
    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    wait = WebDriverWait(browser, 15)

    field = browser.find_element(By.ID, "id_people")
    assert field.get_attribute("role") == "combobox"
    field.send_keys(Keys.END, ", vla")

    listbox = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=listbox]")))
    assert field.get_attribute("aria-expanded") == "true"
    assert [o.text for o in listbox.find_elements(By.CSS_SELECTOR, "[role=option]")] == ["Vladimir Putin"]

    field.send_keys(Keys.ARROW_DOWN)
    option = listbox.find_element(By.CSS_SELECTOR, "[role=option]")
    assert option.get_attribute("aria-selected") == "true"
    assert field.get_attribute("aria-activedescendant") == option.get_attribute("id")
    field.send_keys(Keys.ENTER)  # picks the suggestion; does not submit the form

    assert field.get_attribute("value") == "Xi Jinping, Vladimir Putin, "
    assert field.get_attribute("aria-expanded") == "false"
    # A brand-new name still goes in as typed, next to the suggested one.
    field.send_keys("Sergei Lavrov")
    browser.find_element(By.NAME, "_continue").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success")))
    assert sorted(p.name for p in Article.objects.get(pk=article.pk).people.all()) == [
        "Sergei Lavrov",
        "Vladimir Putin",
        "Xi Jinping",
    ]
