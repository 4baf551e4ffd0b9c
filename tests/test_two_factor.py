"""Two-factor sign-in for staff (TOTP through django-otp): optional for all, required by group."""

import base64
import hmac
import re
import struct
import time

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-test-password"
pytestmark = pytest.mark.django_db
FROZEN = 1_700_000_025  # 15 s into a 30-second TOTP step


def totp(secret, at=None):
    """The RFC 6238 code an authenticator app shows for this base32 secret (SHA-1, 30 s, 6 digits)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", "editor@example.com", PASSWORD, is_staff=True)


def sign_in(username="editor"):
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD, "next": reverse("admin:index")}
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def frozen_clock(monkeypatch):
    """The clock stopped mid-step: the current code cannot change between two lines of a test.

    django-otp reads `time.time()` when it checks a code; the throttle reads `timezone.now()`.
    """
    monkeypatch.setattr(time, "time", lambda: FROZEN)
    return FROZEN


def enrol(client, at=None):
    """Set up an authenticator the way a person does: read the key off the page, type a code."""
    page = client.get(reverse("security:two-factor-enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code to scan
    secret = re.search(r'<code class="two-factor__secret">([A-Z2-7]+)</code>', html).group(1)
    response = client.post(reverse("security:two-factor-enrol"), {"token": totp(secret, at=at)})
    return secret, response


def test_staff_without_two_factor_use_the_admin_as_before(editor):
    assert sign_in().get(reverse("admin:index")).status_code == 200


def test_enrolment_needs_a_correct_code_then_turns_two_factor_on(editor):
    client = sign_in()
    page = client.get(reverse("security:two-factor-enrol")).content.decode()
    secret = re.search(r'<code class="two-factor__secret">([A-Z2-7]+)</code>', page).group(1)
    wrong = client.post(
        reverse("security:two-factor-enrol"), {"token": "000000" if totp(secret) != "000000" else "111111"}
    )
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()
    # django-otp throttles guessing (1 s after the first failure, doubling), and says so.
    too_soon = client.post(reverse("security:two-factor-enrol"), {"token": totp(secret)})
    assert "Too many wrong codes" in too_soon.content.decode()
    time.sleep(2.1)

    response = client.post(reverse("security:two-factor-enrol"), {"token": totp(secret)})
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 1
    assert client.get(reverse("admin:index")).status_code == 200


def test_after_enrolment_a_password_alone_does_not_open_the_admin(editor):
    secret, _ = enrol(sign_in())
    client = sign_in()
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("security:two-factor-verify"))

    wrong = client.post(
        reverse("security:two-factor-verify"), {"token": "12345x", "next": reverse("admin:index")}
    )
    assert "Enter the six digits" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302

    # The next 30-second step: the code used at enrolment cannot be replayed.
    code = totp(secret, at=time.time() + 30)
    response = client.post(
        reverse("security:two-factor-verify"), {"token": code, "next": reverse("admin:password_change")}
    )
    assert response.status_code == 302 and response.url == reverse("admin:password_change")
    assert client.get(reverse("admin:password_change")).status_code == 200


def test_a_used_code_cannot_be_replayed(editor, frozen_clock):
    secret, _ = enrol(sign_in(), at=frozen_clock)
    client = sign_in()

    replayed = client.post(reverse("security:two-factor-verify"), {"token": totp(secret, at=frozen_clock)})
    assert replayed.status_code == 200
    assert "That code is not right" in replayed.content.decode()

    TOTPDevice.objects.filter(user=editor).update(throttling_failure_count=0)  # the wrong code's 1 s wait
    fresh = client.post(reverse("security:two-factor-verify"), {"token": totp(secret, at=frozen_clock + 30)})
    assert fresh.status_code == 302


def test_the_code_page_signs_out_with_a_post_form(editor):
    """Django 5 signs out on POST only: the code page's "sign out" is a form, and it works."""
    enrol(sign_in())
    client = sign_in()
    page = client.get(reverse("security:two-factor-verify")).content.decode()

    form = re.search(
        r'<form method="post" action="([^"]+)"[^>]*id="two-factor-signout">(.*?)</form>', page, re.S
    )
    assert form is not None and form.group(1) == reverse("admin:logout")
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert f'href="{reverse("admin:logout")}"' not in page
    assert client.post(form.group(1)).status_code == 200
    response = client.get(reverse("security:two-factor-verify"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_verification_never_redirects_off_site(editor):
    secret, _ = enrol(sign_in())
    client = sign_in()
    response = client.post(
        reverse("security:two-factor-verify"),
        {"token": totp(secret, at=time.time() + 30), "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_required_group_must_enrol_before_using_the_admin(editor, settings, django_user_model):
    settings.TWO_FACTOR_REQUIRED_GROUPS = ["Editor"]
    editor.groups.add(Group.objects.get(name="Editor"))  # made by the roles migration
    contributor = django_user_model.objects.create_user("writer", "w@example.com", PASSWORD, is_staff=True)

    client = sign_in()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("security:two-factor-enrol"))
    assert (
        "Your role requires two-factor sign-in"
        in client.get(reverse("security:two-factor-enrol")).content.decode()
    )
    enrol(client)
    assert client.get(reverse("admin:index")).status_code == 200

    assert sign_in(contributor.username).get(reverse("admin:index")).status_code == 200


def test_the_public_site_never_asks_for_a_code(editor, client):
    enrol(sign_in())
    assert sign_in().get(reverse("articles:home")).status_code == 200
