"""Media on S3-compatible storage: upload, renditions and public URLs, against moto's S3 server on loopback."""

import os
import subprocess
import sys
import urllib.request

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.builders import make_article, make_image, make_upload

pytestmark = pytest.mark.django_db

PORT = 8155
ENDPOINT = f"http://127.0.0.1:{PORT}"
BUCKET = "holr-media"
CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
    server.start()
    yield boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1", **CREDENTIALS)
    server.stop()


@pytest.fixture
def s3(s3_server, settings):
    """The default storage on a fresh bucket, configured as holr/settings.py configures it."""
    s3_server.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": ENDPOINT,
                "region_name": "us-east-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "querystring_auth": False,
                "default_acl": "public-read",
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
    }
    yield s3_server
    for item in s3_server.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3_server.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3_server.delete_bucket(Bucket=BUCKET)


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_upload_and_renditions_are_stored_in_the_bucket_and_served_from_public_urls(s3, client, settings):
    image = make_image(width=700, height=400, alt="A harbour at dawn")

    stored = keys(s3)
    assert image.file.name in stored
    folder = image.file.name.rsplit("/", 1)[1].rsplit(".", 1)[0]
    assert f"renditions/{folder}/320.webp" in stored and f"renditions/{folder}/700.jpg" in stored
    assert not os.path.exists(settings.MEDIA_ROOT / "renditions")  # nothing on local disk

    article = make_article(lead_image=image)
    page = client.get(article.get_absolute_url()).content.decode()
    url = f"{ENDPOINT}/{BUCKET}/renditions/{folder}/320.webp"
    assert url in page and "X-Amz-Signature" not in page  # plain public URLs, no per-reader signatures

    with urllib.request.urlopen(url, timeout=10) as response:  # what a reader's browser fetches
        assert response.read()[:4] == b"RIFF"
    head = s3.head_object(Bucket=BUCKET, Key=f"renditions/{folder}/320.webp")
    assert head["CacheControl"] == "public, max-age=31536000, immutable"


def test_replacing_and_deleting_an_image_removes_its_objects(s3, django_capture_on_commit_callbacks):
    image = make_image(width=500, height=300)
    old_name = image.file.name
    image.file = make_upload(width=400, height=300)
    with django_capture_on_commit_callbacks(execute=True):  # old files go once the change commits
        image.save()
    remaining = keys(s3)
    assert old_name not in remaining and not any(
        old_name.rsplit("/", 1)[1].split(".")[0] in k for k in remaining
    )

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert keys(s3) == []


def test_s3_storage_is_chosen_by_environment_variables():
    code = "from holr import settings; import json; print(json.dumps(settings.STORAGES['default']))"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "x",
        "AWS_STORAGE_BUCKET_NAME": "magazine-media",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
        "AWS_S3_CUSTOM_DOMAIN": "media.magazine.example",
    }
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert '"storages.backends.s3.S3Storage"' in output and '"magazine-media"' in output
    assert '"media.magazine.example"' in output and '"querystring_auth": false' in output
    local = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "FileSystemStorage" in local


STORAGE_WORK = ("_save", "_open", "exists", "listdir", "size", "delete")


@pytest.mark.parametrize("where", ["local disk", "s3"])
def test_renditions_are_made_once_on_save_and_never_on_a_request(where, request, client, monkeypatch):
    """Saving an image writes each rendition exactly once; pages only compute rendition URLs.

    No storage call (on S3, a network round trip) happens per request.
    """
    if where == "s3":
        request.getfixturevalue("s3")
    from django.core.files.storage import default_storage
    from django.utils.functional import empty

    from images.renditions import FORMATS, renditions_for, widths_for

    if default_storage._wrapped is empty:
        default_storage._setup()
    storage_class = type(default_storage._wrapped)
    saved = []
    real_save = storage_class._save

    def recording_save(storage, name, content):
        saved.append(name)
        return real_save(storage, name, content)

    monkeypatch.setattr(storage_class, "_save", recording_save)
    image = make_image(width=1000, height=600)
    article = make_article(lead_image=image, title="Harbour")

    renditions = renditions_for(image)
    crops = [crop.name for crop in renditions.every_crop]  # the share card, 4:3 and 1:1
    expected = [image.file.name, *crops] + [
        rendition.name for sizes in (renditions.webp, renditions.jpeg, renditions.avif) for rendition in sizes
    ]
    assert len(expected) == 1 + 3 + len(widths_for(1000)) * len(FORMATS) == 16
    assert sorted(saved) == sorted(expected)  # each file once, nothing else
    for method in STORAGE_WORK:
        monkeypatch.setattr(
            storage_class,
            method,
            lambda *a, **k: pytest.fail(f"storage touched during a page request ({a[1:]})"),
        )
    for url in (article.get_absolute_url(), "/", article.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200 and "<picture" in response.content.decode()
