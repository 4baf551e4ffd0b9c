"""Webhooks (issue 14): events after commit, signed deliveries to a loopback receiver, retries, SSRF."""

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleNote, Status
from tests.builders import make_article, make_page
from webhooks import delivery as webhook_delivery
from webhooks.delivery import RefusedTarget, check_target, deliver_due
from webhooks.models import Delivery, Endpoint
from webhooks.models import Status as DeliveryStatus

pytestmark = pytest.mark.django_db

ALL_ARTICLE_EVENTS = ["article.published", "article.updated", "article.unpublished", "article.deleted"]


class Receiver:
    """An HTTP receiver on loopback that records what it is sent and answers with `statuses` in turn."""

    def __init__(self, statuses=(200,), delay=0.0, location=None):
        self.requests, self.statuses, self.delay = [], list(statuses), delay
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                receiver.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # the receiver is on loopback
    made = []

    def make(**kwargs):
        made.append(Receiver(**kwargs))
        return made[-1]

    yield make
    for r in made:
        r.close()


def endpoint(url, events=ALL_ARTICLE_EVENTS):
    return Endpoint.objects.create(url=url, events=events, secret="s3cret")


def verify(secret, request, tolerance=300):
    """What a receiver does (docs/api.md): recompute the signature and refuse old timestamps."""
    headers = request["headers"]
    timestamp = headers["X-Holr-Timestamp"]
    expected = hmac.new(
        secret.encode(), f"{timestamp}.{request['body']}".encode(), hashlib.sha256
    ).hexdigest()
    fresh = abs(time.time() - int(timestamp)) < tolerance
    return fresh and hmac.compare_digest(headers["X-Holr-Signature"], f"sha256={expected}")


def test_publishing_sends_the_article_signed_after_commit(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint(hook.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = make_article(title="Xi visits Moscow", people=["Xi Jinping"])
        assert Delivery.objects.count() == 0  # nothing before the commit
    for callback in callbacks:
        callback()
    assert hook.requests == []  # queued, not sent from the save
    sent = deliver_due()
    assert [d.status for d in sent] == [DeliveryStatus.DELIVERED]
    (request,) = hook.requests
    assert request["headers"]["X-Holr-Event"] == "article.published"
    assert request["headers"]["Content-Type"] == "application/json"
    assert verify("s3cret", request)
    assert not verify("wrong secret", request)
    tampered = {**request, "body": request["body"].replace("Moscow", "Minsk")}
    assert not verify("s3cret", tampered)
    payload = json.loads(request["body"])
    assert payload["event"] == "article.published"
    assert payload["data"]["id"] == article.pk
    assert payload["data"]["title"] == "Xi visits Moscow"
    assert [p["name"] for p in payload["data"]["people"]] == ["Xi Jinping"]
    assert payload["data"]["body"] == article.body


def test_each_change_sends_its_event(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint(hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_article(status=Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Still a draft"
        draft.save()
    assert Delivery.objects.count() == 0  # drafts are nobody's business
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Status.PUBLISHED
        draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Corrected title"
        draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Status.DRAFT
        draft.save()
    published = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        published.delete()
    deliver_due()
    events = [r["headers"]["X-Holr-Event"] for r in hook.requests]
    assert events == ["article.published", "article.updated", "article.unpublished", "article.deleted"]
    assert json.loads(hook.requests[1]["body"])["data"]["title"] == "Corrected title"
    assert json.loads(hook.requests[2]["body"])["data"] == {
        "id": draft.pk,
        "slug": draft.slug,
        "title": "Corrected title",
    }


ALL_PAGE_EVENTS = ["page.published", "page.updated", "page.unpublished", "page.deleted"]


def test_each_page_change_sends_its_event_signed_after_commit(receiver, django_capture_on_commit_callbacks):
    """Pages send the same four events as articles; an unpublished page is nobody's business."""
    hook = receiver()
    endpoint(hook.url, events=ALL_PAGE_EVENTS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = make_page(slug="about", title="About", body="<p>Who we are.</p>")
        assert Delivery.objects.count() == 0  # nothing before the commit
    for callback in callbacks:
        callback()
    assert hook.requests == []  # queued, not sent from the save
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "About us"
        page.save()
    with django_capture_on_commit_callbacks(execute=True):
        page.is_published = False
        page.save()
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "About us (draft)"
        page.save()  # unpublished: no event
    with django_capture_on_commit_callbacks(execute=True):
        make_page(slug="draft", is_published=False).delete()  # never published: no event
    gone = make_page(slug="contact", title="Contact")
    with django_capture_on_commit_callbacks(execute=True):
        gone_id = gone.pk
        gone.delete()
    deliver_due()
    events = [r["headers"]["X-Holr-Event"] for r in hook.requests]
    assert events == ["page.published", "page.updated", "page.unpublished", "page.deleted"]
    assert all(verify("s3cret", request) for request in hook.requests)
    published = json.loads(hook.requests[0]["body"])
    assert published["event"] == "page.published"
    assert published["data"]["title"] == "About"
    assert published["data"]["api_url"] == "http://127.0.0.1:8000/api/v1/pages/about/"
    assert published["data"]["body"] == "<p>Who we are.</p>"
    assert json.loads(hook.requests[1]["body"])["data"]["title"] == "About us"
    unpublished, deleted = (json.loads(r["body"])["data"] for r in hook.requests[2:])
    assert unpublished == {"id": page.pk, "slug": "about", "title": "About us"}
    assert deleted == {"id": gone_id, "slug": "contact", "title": "Contact"}


def test_a_correction_sends_article_updated_once_with_the_correction(
    receiver, django_capture_on_commit_callbacks
):
    """Saved with the article (as the admin's inline does) or on its own, one article.updated each time."""
    hook = receiver()
    endpoint(hook.url, events=["article.updated"])
    article = make_article(title="Talks")
    draft = make_article(status=Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Talks resume"
        article.save()
        ArticleNote.objects.create(article=article, kind="update", text="Talks resumed on Monday.")
    with django_capture_on_commit_callbacks(execute=True):
        note = ArticleNote.objects.create(article=article, text="An earlier version misstated the day.")
    with django_capture_on_commit_callbacks(execute=True):
        ArticleNote.objects.create(article=draft, text="Not public.")
    with django_capture_on_commit_callbacks(execute=True):
        note.delete()
    deliver_due()
    bodies = [json.loads(r["body"])["data"] for r in hook.requests]
    assert [r["headers"]["X-Holr-Event"] for r in hook.requests] == ["article.updated"] * 3
    assert [[c["text"] for c in data["corrections"]] for data in bodies] == [
        ["Talks resumed on Monday."],
        ["An earlier version misstated the day.", "Talks resumed on Monday."],
        ["Talks resumed on Monday."],
    ]
    assert bodies[0]["title"] == "Talks resume"


def test_page_and_article_events_go_only_where_chosen(receiver, django_capture_on_commit_callbacks):
    pages_only, articles_only = receiver(), receiver()
    endpoint(pages_only.url, events=["page.published"])
    endpoint(articles_only.url)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Xi visits Moscow")
        make_page(title="Contact")
    deliver_due()
    assert [r["headers"]["X-Holr-Event"] for r in pages_only.requests] == ["page.published"]
    assert [r["headers"]["X-Holr-Event"] for r in articles_only.requests] == ["article.published"]


def test_a_failing_page_receiver_is_retried_then_marked_failed(
    receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    hook = receiver(statuses=[503])
    endpoint(hook.url, events=ALL_PAGE_EVENTS)
    with django_capture_on_commit_callbacks(execute=True):
        make_page()
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    (delivery,) = deliver_due()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.PENDING,
        1,
        "HTTP 503",
    )
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(seconds=61))
    (delivery,) = deliver_due()
    assert (delivery.event, delivery.status, delivery.attempts) == (
        "page.published",
        DeliveryStatus.FAILED,
        2,
    )
    assert len(hook.requests) == 2


def test_endpoints_get_only_the_events_they_chose(receiver, django_capture_on_commit_callbacks):
    wants_deletes = receiver()
    endpoint(wants_deletes.url, events=["article.deleted"])
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    assert deliver_due() == [] and wants_deletes.requests == []


def test_a_failing_receiver_is_retried_with_backoff_then_marked_failed(
    receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    hook = receiver(statuses=[500])
    endpoint(hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    (delivery,) = deliver_due()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.PENDING,
        1,
        "HTTP 500",
    )
    assert delivery.next_attempt_at == start + timedelta(seconds=60)
    assert deliver_due() == []  # not before its time
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(seconds=61))
    (delivery,) = deliver_due()
    assert delivery.attempts == 2 and delivery.next_attempt_at == start + timedelta(seconds=61 + 300)
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(seconds=400))
    (delivery,) = deliver_due()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.FAILED, 3, 500)
    assert len(hook.requests) == 3
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(days=2))
    assert deliver_due() == []  # failed for good


def test_a_slow_receiver_times_out_and_a_redirect_is_not_followed(
    receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT = 0.3
    slow, target = receiver(delay=1.0), receiver()
    redirecting = receiver(statuses=[302], location=target.url)
    endpoint(slow.url)
    endpoint(redirecting.url)
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    errors = sorted(d.last_error for d in deliver_due())
    assert errors == ["HTTP 302 (redirects are not followed)", "timed out"]
    assert target.requests == []


def test_a_scheduled_article_fires_at_its_time_without_any_save(
    receiver, monkeypatch, django_capture_on_commit_callbacks
):
    hook = receiver()
    endpoint(hook.url)
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    deliver_due()  # the first pass starts the clock
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Embargoed", published_at=start + timedelta(hours=1))
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=59))
    assert deliver_due() == []
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=1, seconds=5))
    (delivery,) = deliver_due()
    assert delivery.event == "article.published" and delivery.status == DeliveryStatus.DELIVERED
    assert json.loads(hook.requests[0]["body"])["data"]["id"] == article.pk
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=2))
    assert deliver_due() == []  # announced once


def test_publishing_now_is_not_announced_twice_by_the_clock(receiver, django_capture_on_commit_callbacks):
    hook = receiver()
    endpoint(hook.url)
    deliver_due()
    with django_capture_on_commit_callbacks(execute=True):
        make_article(published_at=timezone.now() - timedelta(seconds=1))
    deliver_due()
    deliver_due()
    assert len(hook.requests) == 1


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:8080/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.5/hook", "private"),
        ("http://192.168.1.1/hook", "private"),
        ("http://[::1]/hook", "loopback"),
        ("http://0.0.0.0/hook", "unspecified"),
    ],
)
def test_private_targets_are_refused(url, kind):
    with pytest.raises(RefusedTarget, match=rf"\({kind} address\): refused"):
        check_target(url)


def test_an_ssrf_target_is_refused_at_delivery_and_nothing_is_sent(
    receiver, settings, django_capture_on_commit_callbacks
):
    hook = receiver()
    endpoint(hook.url)  # saved while allowed (e.g. typed before the setting changed)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    (delivery,) = deliver_due()
    assert delivery.status == DeliveryStatus.FAILED
    assert "resolves to 127.0.0.1 (loopback address): refused" in delivery.last_error
    assert hook.requests == []


def test_the_admin_refuses_a_private_url_and_sends_again(
    admin_client, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    response = admin_client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"url": "http://127.0.0.1:9/hook", "events": ["article.published"], "secret": "x", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "(loopback address): refused" in response.content.decode()
    assert Endpoint.objects.count() == 0

    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    hook = receiver(statuses=[503, 200])
    endpoint(hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    (failed,) = deliver_due()
    assert failed.status == DeliveryStatus.FAILED
    changelist = admin_client.get(reverse("admin:webhooks_delivery_changelist"))
    assert "HTTP 503" in changelist.content.decode()
    admin_client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "send_again_action", "_selected_action": [failed.pk]},
    )
    (again,) = deliver_due()
    assert (again.pk, again.status, again.attempts) == (failed.pk, DeliveryStatus.DELIVERED, 1)
    assert len(hook.requests) == 2


def test_deliver_webhooks_command_makes_one_pass(receiver, django_capture_on_commit_callbacks, capsys):
    hook = receiver()
    endpoint(hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    call_command("deliver_webhooks", "--once")
    assert capsys.readouterr().out == f"article.published → {hook.url}: delivered\n"
    assert len(hook.requests) == 1


def test_signature_is_over_timestamp_and_body():
    assert (
        webhook_delivery.sign("key", "1700000000", '{"a": 1}')
        == "sha256=" + hmac.new(b"key", b'1700000000.{"a": 1}', hashlib.sha256).hexdigest()
    )
