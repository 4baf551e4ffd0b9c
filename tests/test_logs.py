"""A hostile admin query is refused with a 400 and one log line, not a traceback (issue 13, defect 10)."""

import io
import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """What the configured console handler (holr/settings.py LOGGING) writes."""
    (handler,) = [handler for handler in logging.getLogger("django").handlers if handler.name == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_disallowed_to_field_is_one_line_without_a_traceback(admin_client, console):
    url = reverse("admin:articles_article_changelist") + "?_to_field=password%0Aforged&_popup=1"

    response = admin_client.get(url)

    assert response.status_code == 400
    assert console.getvalue() == (
        "The field password\\nforged cannot be referenced.: /admin/articles/article/\n"
    )


def test_a_bad_host_header_is_one_line(client, console):
    response = client.get(reverse("articles:home"), HTTP_HOST="evil.example")

    assert response.status_code == 400
    (line,) = console.getvalue().splitlines()
    assert line.startswith("Invalid HTTP_HOST header: 'evil.example'.")
    assert line.endswith(": /")


def test_server_errors_keep_their_traceback(console):
    logger = logging.getLogger("django.request")
    try:
        raise ValueError("boom")
    except ValueError as exc:
        logger.error("Internal Server Error: /", exc_info=exc, extra={"status_code": 500})

    assert "Traceback (most recent call last)" in console.getvalue()
