"""Security headers, cookies and the admin's address (issue 6)."""

import re

import pytest
from django.urls import reverse

from tests.builders import make_article
from tests.test_settings import PRODUCTION, run, settings_value

pytestmark = pytest.mark.django_db


def directives(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    policy = response.headers["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


@pytest.fixture
def public_page(client):
    article = make_article()
    return client.get(article.get_absolute_url())


@pytest.fixture
def admin_page(admin_client):
    return admin_client.get(reverse("admin:articles_article_add"))


def test_public_pages_run_only_the_sites_own_scripts_and_styles(public_page):
    policy = directives(public_page)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_public_templates_have_no_inline_script_or_style(public_page, client):
    """What the policy would block: inline code in our own templates (JSON-LD data excepted)."""
    for response in (public_page, client.get(reverse("articles:home"))):
        html = response.content.decode()
        scripts = re.findall(r"<script\b([^>]*)>", html)
        assert all('src="' in attributes or "application/ld+json" in attributes for attributes in scripts), (
            scripts
        )
        assert "<style" not in html
        assert " style=" not in html


def test_admin_policy_adds_only_a_nonce_and_the_editors_style_hash(admin_page):
    policy = directives(admin_page)
    nonce = re.search(r'<script type="importmap" nonce="([^"]+)"', admin_page.content.decode()).group(1)
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["style-src"][0] == "'self'" and all(
        s.startswith("'sha256-") for s in policy["style-src"][1:]
    )
    assert "'unsafe-inline'" not in admin_page.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in admin_page.headers["Content-Security-Policy"]


def test_admin_nonce_is_new_on_every_request(admin_client):
    url = reverse("admin:articles_article_add")
    first, second = (directives(admin_client.get(url))["script-src"][1] for _ in range(2))
    assert first != second


def test_admin_inline_styles_are_gone(admin_client):
    """The admin's lists and previews use classes from static/css/admin.css, not style=""."""
    from tests.builders import make_image

    image = make_image()
    make_article(lead_image=image)
    for url in (
        reverse("admin:articles_article_changelist"),
        reverse("admin:images_image_changelist"),
        reverse("admin:images_image_change", args=[image.pk]),
    ):
        html = admin_client.get(url).content.decode()
        assert " style=" not in html, url
        assert "<style" not in html, url


@pytest.mark.parametrize("page", ["public_page", "admin_page"])
def test_every_page_sends_the_hardening_headers(page, request):
    response = request.getfixturevalue(page)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert "Content-Security-Policy" in response.headers


def test_hsts_is_sent_over_https_when_https_is_on(client, settings):
    """DJANGO_HTTPS (the production default) turns on HSTS with these values."""
    hsts = settings_value(
        "[settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD]",
        **PRODUCTION,
    )
    settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD = hsts
    response = client.get(make_article().get_absolute_url(), secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_no_hsts_with_https_off(client):
    response = client.get(make_article().get_absolute_url(), secure=True)
    assert "Strict-Transport-Security" not in response.headers


def test_session_and_csrf_cookies_are_http_only_and_same_site(client, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "a-long-test-password")
    login = reverse("admin:login")
    client.get(login)
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Strict"
    response = client.post(
        login, {"username": "boss", "password": "a-long-test-password", "csrfmiddlewaretoken": csrf.value}
    )
    assert response.status_code == 302
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


def test_cookies_are_secure_when_https_is_on():
    assert settings_value("[settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE]", **PRODUCTION) == [
        True,
        True,
    ]


def test_admin_lives_at_the_configured_path():
    """DJANGO_ADMIN_PATH moves the admin, its sign-in and two-factor pages; /admin/ is then nothing.

    (Only the magazine's pages pattern matches it, and "admin" is a slug no page may take.)
    """
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.urls import reverse, resolve\n"
            "from pages.reserved import is_reserved\n"
            "print(reverse('admin:index'), reverse('admin:login'), reverse('security:two-factor-verify'))\n"
            "print(resolve('/admin/').view_name, is_reserved('admin'))",
        ],
        **PRODUCTION,
        DJANGO_ADMIN_PATH="/backstage-7f3a/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == [
        "/backstage-7f3a/ /backstage-7f3a/login/ /backstage-7f3a/two-factor/",
        "pages:detail True",
    ]


def test_admin_path_defaults_to_admin():
    assert settings_value("settings.ADMIN_PATH", **PRODUCTION) == "admin/"
