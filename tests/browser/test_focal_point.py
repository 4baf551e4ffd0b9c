"""An editor clicks on an image's preview in the admin to set its focal point; the share crop follows."""

import pytest
from django.core.files.storage import default_storage
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from images.models import Image
from tests.browser.conftest import sign_in
from tests.builders import make_image

USERNAME, PASSWORD = "picture-editor", "a-long-test-password"


@pytest.mark.browser
def test_editor_clicks_the_preview_to_set_the_focal_point(browser, live_server, django_user_model):
    django_user_model.objects.create_superuser(USERNAME, "pictures@example.com", PASSWORD)
    image = make_image(width=1000, height=600)
    old_share = image.renditions.share.url
    wait = WebDriverWait(browser, 15)
    sign_in(browser, live_server, USERNAME, PASSWORD)

    browser.get(f"{live_server.url}/admin/images/image/{image.pk}/change/")
    picker = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-focal-point].is-active")))
    preview = picker.find_element(By.TAG_NAME, "img")
    width, height = preview.size["width"], preview.size["height"]
    # Selenium offsets are from the element's centre: this is the point (0.75, 0.25).
    ActionChains(browser).move_to_element_with_offset(
        preview, round(width / 4), -round(height / 4)
    ).click().perform()

    focal_x = browser.find_element(By.ID, "id_focal_x")
    focal_y = browser.find_element(By.ID, "id_focal_y")
    assert float(focal_x.get_attribute("value")) == pytest.approx(0.75, abs=0.01)
    assert float(focal_y.get_attribute("value")) == pytest.approx(0.25, abs=0.01)
    marker = picker.find_element(By.CSS_SELECTOR, ".focal-point__marker")
    assert marker.is_displayed()
    assert float(marker.value_of_css_property("left").removesuffix("px")) == pytest.approx(
        0.75 * width, abs=2
    )

    browser.find_element(By.XPATH, "//input[@type='submit' and @value='Save']").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".messagelist .success")))

    image = Image.objects.get(pk=image.pk)
    assert (image.focal_x, image.focal_y) == (pytest.approx(0.75, abs=0.01), pytest.approx(0.25, abs=0.01))
    share = image.renditions.share.url
    assert share != old_share
    assert default_storage.exists(share.removeprefix(default_storage.url("")))
