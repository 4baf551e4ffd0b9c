"""The staff JSON views behind the story editor's dialogs: image search, upload on the spot, embed check."""

import pytest
from django.urls import reverse

from images.models import Image
from tests.builders import make_image, make_upload, make_user

pytestmark = pytest.mark.django_db

SEARCH, UPLOAD, CHECK = (
    reverse("bodyeditor:images"),
    reverse("bodyeditor:image-upload"),
    reverse("bodyeditor:embed-check"),
)


@pytest.fixture
def contributor_client(client):
    client.force_login(make_user("writer", "Contributor"))
    return client


def test_each_view_refuses_anonymous_and_staff_without_permission_with_json_403(client):
    """No redirect to the login page inside a dialog: a 403 that says why."""
    image_count = Image.objects.count()
    for method, url, data in (("get", SEARCH, {}), ("post", UPLOAD, {}), ("post", CHECK, {"url": "x"})):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, url
        assert response.json() == {"error": "You do not have permission to do this."}
    client.force_login(make_user("no-role"))  # staff, in no group
    for method, url, data in (("get", SEARCH, {}), ("post", UPLOAD, {}), ("post", CHECK, {"url": "x"})):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert Image.objects.count() == image_count


def test_search_finds_library_images_by_alt_text_and_credit(contributor_client):
    crowds = make_image(alt="Crowds in Red Square", credit="HOLR Photo Desk")
    kremlin = make_image(alt="The Kremlin at dawn", credit="Anna Kuznetsova")

    by_alt = contributor_client.get(SEARCH, {"q": "red square"}).json()["results"]
    assert [result["id"] for result in by_alt] == [crowds.pk]
    assert by_alt[0]["alt"] == "Crowds in Red Square" and by_alt[0]["credit"] == "HOLR Photo Desk"
    assert by_alt[0]["thumbnail"] == crowds.renditions.thumbnail.url
    assert (by_alt[0]["width"], by_alt[0]["height"]) == (800, 450)

    by_credit = contributor_client.get(SEARCH, {"q": "kuznetsova"}).json()["results"]
    assert [result["id"] for result in by_credit] == [kremlin.pk]
    everything = contributor_client.get(SEARCH).json()["results"]
    assert [result["id"] for result in everything] == [kremlin.pk, crowds.pk]  # newest first


def test_search_finds_an_image_by_its_file_name(contributor_client):
    image = make_image(alt="A tram")
    make_image(alt="Something else")
    stem = image.file.name.rsplit("/", 1)[-1].split(".")[0]
    results = contributor_client.get(SEARCH, {"q": stem}).json()["results"]
    assert [result["id"] for result in results] == [image.pk]


def test_ids_lookup_keeps_the_order_asked_and_skips_missing_images_in_one_query(
    contributor_client, django_assert_num_queries
):
    first, second, third = make_image(), make_image(), make_image()
    asked = f"{third.pk},{first.pk},999999,{second.pk}"
    # Session, user, two-factor device, the user's permissions (two), then one for the images.
    with django_assert_num_queries(6):
        results = contributor_client.get(SEARCH, {"ids": asked}).json()["results"]
    assert [result["id"] for result in results] == [third.pk, first.pk, second.pk]


def test_malformed_ids_get_a_400_that_says_what_is_expected(contributor_client):
    response = contributor_client.get(SEARCH, {"ids": "1,javascript:alert(1)"})
    assert response.status_code == 400
    assert response.json() == {"error": "ids must be comma-separated image numbers."}


def test_upload_adds_a_library_image_with_its_alt_text_and_credit(contributor_client):
    response = contributor_client.post(
        UPLOAD, {"file": make_upload(), "alt": "Snow on the Moskva", "credit": "Anna Kuznetsova"}
    )
    assert response.status_code == 201
    image = Image.objects.get()
    assert (image.alt, image.credit) == ("Snow on the Moskva", "Anna Kuznetsova")
    assert response.json() == {
        "id": image.pk,
        "alt": "Snow on the Moskva",
        "credit": "Anna Kuznetsova",
        "thumbnail": image.renditions.thumbnail.url,
        "width": 800,
        "height": 450,
    }


def test_upload_without_alt_text_is_refused_and_stores_nothing(contributor_client):
    response = contributor_client.post(UPLOAD, {"file": make_upload(), "alt": "  "})
    assert response.status_code == 400
    assert response.json() == {"errors": {"alt": ["This field is required."]}}
    assert not Image.objects.exists()


def test_upload_of_a_file_that_is_not_an_image_names_the_accepted_formats(contributor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = SimpleUploadedFile(
        "photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    response = contributor_client.post(UPLOAD, {"file": page, "alt": "Not a photo"})
    assert response.status_code == 400
    assert "JPEG, PNG, WebP, AVIF or GIF" in response.json()["errors"]["file"][0]
    assert not Image.objects.exists()


def test_upload_and_embed_check_only_accept_post(contributor_client):
    assert contributor_client.get(UPLOAD).status_code == 405
    assert contributor_client.get(CHECK, {"url": "https://youtu.be/abc"}).status_code == 405
    assert contributor_client.post(SEARCH).status_code == 405


@pytest.mark.parametrize(
    ("url", "provider"),
    [
        ("https://www.youtube.com/watch?v=jNQXAC9IVRw", "YouTube"),
        ("https://youtu.be/jNQXAC9IVRw", "YouTube"),
        ("https://vimeo.com/76979871", "Vimeo"),
        ("https://www.dailymotion.com/video/x8abcd", "Dailymotion"),
        ("https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk", "Spotify"),
        ("https://soundcloud.com/artist/track", "SoundCloud"),
        ("https://bsky.app/profile/someone.bsky.social/post/3kabcdefg2x", "Bluesky"),
        ("https://www.instagram.com/p/Cabc/", "Instagram"),
        ("https://x.com/someone/status/1", "X"),
        ("  https://twitter.com/someone/status/1  ", "X"),
    ],
)
def test_embed_check_names_the_provider_of_a_supported_link(contributor_client, url, provider):
    response = contributor_client.post(CHECK, {"url": url})
    assert response.status_code == 200
    assert response.json() == {"url": url.strip(), "provider": provider}


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/clip",
        "javascript:alert(1)//youtube.com/watch",
        "data:text/html,<script>alert(1)</script>",
        "ftp://www.youtube.com/watch?v=1",
        "https://www.youtube.com/",
        "https://youtube.com.evil.example/watch?v=1",
        "https://[::1/",
        "not a link",
        "https://youtu.be/" + "a" * 2000,
    ],
)
def test_embed_check_refuses_other_links_and_lists_the_providers(contributor_client, url):
    response = contributor_client.post(CHECK, {"url": url})
    assert response.status_code == 400
    data = response.json()
    assert data["error"].startswith("This link cannot be embedded.")
    assert data["providers"] == [
        "YouTube",
        "Vimeo",
        "Dailymotion",
        "Spotify",
        "SoundCloud",
        "Bluesky",
        "Instagram",
        "X",
    ]
    assert (
        "YouTube, Vimeo, Dailymotion, Spotify, SoundCloud, Bluesky, Instagram and X (Twitter)"
        in data["error"]
    )


def test_embed_check_without_a_link_asks_for_one(contributor_client):
    response = contributor_client.post(CHECK, {})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Paste the address of a video, audio or post")


def test_search_costs_one_query_however_many_images_it_shows(contributor_client, django_assert_num_queries):
    for n in range(30):
        make_image(alt=f"Moscow, picture {n}")
    with django_assert_num_queries(6):  # as for the ids lookup: 5 for the request, 1 for images
        results = contributor_client.get(SEARCH, {"q": "moscow"}).json()["results"]
    assert len(results) == 24
