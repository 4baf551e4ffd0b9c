"""Sign-in protections: throttling (django-axes), Argon2 hashing, two-factor (django-otp).

tests/settings.py turns throttling off for the rest of the suite (Client.login() passes
no request); here it runs with the real settings.
"""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from holr import settings as real_settings

PASSWORD = "a-long-test-password"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def throttling(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", "editor@example.com", PASSWORD, is_staff=True)


def sign_in(client, username, password, ip="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def is_signed_in(response):
    return response.status_code == 302 and response.url == reverse("admin:index")


@pytest.fixture
def holr_logs(caplog):
    logger = logging.getLogger("holr")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def test_five_failed_sign_ins_lock_the_account_with_a_designed_page_and_a_log_line(client, editor, holr_logs):
    for _ in range(4):
        assert sign_in(client, "editor", "wrong").status_code == 200  # the form, with its error
    assert sign_in(client, "editor", "wrong").status_code == 429  # the fifth locks
    response = sign_in(client, "editor", PASSWORD)  # even the right password, now
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page and "<strong>editor</strong>" in page
    assert "paused for 15 minutes" in page
    assert 'id="site-name"' in page  # the admin's own design, not bare text
    assert "Admin sign-in locked for 15 minutes after 5 failures: username='editor' address=203.0.113.7" in [
        record.getMessage() for record in holr_logs.records
    ]


def test_the_lock_follows_the_account_across_addresses(client, editor):
    for n in range(5):
        sign_in(client, "editor", "wrong", ip=f"198.51.100.{n}")
    assert sign_in(client, "editor", PASSWORD, ip="192.0.2.99").status_code == 429


def test_the_lock_follows_the_address_across_accounts(client, editor):
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong", ip="203.0.113.50")
    assert sign_in(client, "editor", PASSWORD, ip="203.0.113.50").status_code == 429
    assert is_signed_in(sign_in(client, "editor", PASSWORD, ip="192.0.2.1"))


def test_four_failures_do_not_lock(client, editor):
    for _ in range(4):
        sign_in(client, "editor", "wrong")
    assert is_signed_in(sign_in(client, "editor", PASSWORD))


def test_the_lock_lifts_after_fifteen_minutes(client, editor):
    from axes.models import AccessAttempt

    for _ in range(5):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert is_signed_in(sign_in(client, "editor", PASSWORD))


def test_an_editor_unlocks_an_account_in_the_admin(client, editor, django_user_model):
    from axes.models import AccessAttempt

    for _ in range(5):
        sign_in(client, "editor", "wrong")
    chief = django_user_model.objects.create_user("chief", "chief@example.com", PASSWORD, is_staff=True)
    chief.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"]
        )
    )
    chief_client = type(client)()
    chief_client.force_login(chief)
    attempt = AccessAttempt.objects.get(username="editor")
    listing = chief_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert "editor" in listing.content.decode()
    response = chief_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert is_signed_in(sign_in(client, "editor", PASSWORD))


def test_client_address_behind_a_trusted_proxy(rf, settings):
    from security.lockout import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # the spoofable 6.6.6.6 on the left is ignored


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS
    hashed = make_password(PASSWORD)
    assert hashed.startswith("argon2$")
    assert check_password(PASSWORD, hashed)


def test_older_pbkdf2_hashes_still_sign_in_and_are_upgraded(settings, client, django_user_model):
    settings.PASSWORD_HASHERS = real_settings.PASSWORD_HASHERS
    user = django_user_model.objects.create_user("old", "old@example.com", is_staff=True)
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert is_signed_in(sign_in(client, "old", PASSWORD))
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
