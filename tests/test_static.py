"""Static files in production: hashed names, gzip and brotli copies, cached for good by browsers and CDNs."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import HttpResponseNotFound
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

# Closing a response sends request_finished, which closes old database connections.
pytestmark = pytest.mark.django_db


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic with the production storage (the admin's and the editor's files left out, for speed)."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command(
        "collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "django_prose_editor"]
    )
    return tmp_path


def serve(path, **headers):
    middleware = WhiteNoiseMiddleware(lambda request: HttpResponseNotFound())
    response = middleware(RequestFactory().get(path, **headers))
    response.close()
    return response


def test_hashed_static_files_are_immutable_and_served_with_brotli(collected):
    url = staticfiles_storage.url("css/holr.css")
    assert url != "/static/css/holr.css" and url.endswith(".css")  # a hashed name
    hashed = collected / url.removeprefix("/static/")
    assert hashed.with_name(hashed.name + ".br").exists() and hashed.with_name(hashed.name + ".gz").exists()

    response = serve(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "br" and "Accept-Encoding" in response["Vary"]

    assert serve(url, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"


def test_unhashed_names_are_not_cached_for_good(collected):
    response = serve("/static/css/holr.css")
    assert response.status_code == 200 and "immutable" not in response["Cache-Control"]
