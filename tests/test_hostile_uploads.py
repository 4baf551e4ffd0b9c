"""Hostile uploads to the image library: each is refused with a message naming the problem,
the editor's other fields stay filled, and nothing is left on disk.

tests/test_images.py covers the ordinary refusals (BMP, TIFF, plain SVG, 21 MB, 40 MP);
these are the files built to do harm.
"""

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from images.models import Image
from images.validators import MAX_FRAMES
from tests.builders import image_bytes

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:images_image_add")
ALT, CREDIT = "Putin at the Kremlin", "Kremlin pool"


def png_header_only(width, height):
    """A tiny PNG that claims `width`×`height` pixels: a decompression bomb's calling card."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def many_frame_gif(frames=3000):
    """A small GIF with thousands of (distinct) 8×8 frames."""
    images = []
    for n in range(frames):
        frame = PILImage.new("L", (8, 8), 0)
        frame.putpixel((n % 8, (n // 8) % 8), 255 - n % 200)
        images.append(frame)
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def truncated_jpeg():
    buffer = io.BytesIO()
    PILImage.effect_noise((800, 600), 80).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


NOT_AN_IMAGE = "This file is not a JPEG, PNG, WebP, AVIF or GIF image"
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)

HOSTILE_FILES = [
    pytest.param(
        "notes.jpg", lambda: b"Meeting notes: Xi arrives Monday.\n" * 20, NOT_AN_IMAGE, id="text-renamed-jpg"
    ),
    pytest.param(
        "page.jpg",
        lambda: b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        NOT_AN_IMAGE,
        id="html-with-image-extension",
    ),
    pytest.param("logo.svg", lambda: SVG_WITH_SCRIPT, NOT_AN_IMAGE, id="svg-with-script"),
    pytest.param("logo.png", lambda: SVG_WITH_SCRIPT, NOT_AN_IMAGE, id="svg-with-script-renamed-png"),
    pytest.param("cut.jpg", truncated_jpeg, "This image file is damaged or incomplete", id="truncated-jpeg"),
    pytest.param(
        "bomb.png",
        lambda: png_header_only(100_000, 100_000),
        "This image's dimensions are too large to process safely.",
        id="decompression-bomb-10-gigapixels",
    ),
    pytest.param(
        "bomb.png",
        lambda: png_header_only(12_000, 12_000),
        "This image's dimensions are too large to process safely.",
        id="decompression-bomb-144-megapixels",
    ),
    pytest.param(
        "huge.jpg",
        lambda: image_bytes(400, 300) + b"\0" * (25 * 1024 * 1024),
        "This file is 25.0\xa0MB; images may be at most 20.0\xa0MB.",
        id="25-megabytes",
    ),
    pytest.param(
        "flipbook.gif",
        many_frame_gif,
        f"This animation has more than {MAX_FRAMES} frames; upload a still image or a shorter animation.",
        id="gif-with-3000-frames",
    ),
]


def files_under(folder):
    return sorted(str(Path(root, name)) for root, _, names in os.walk(folder) for name in names)


@pytest.fixture
def upload_temp_dir(settings, tmp_path):
    """Django's temporary files for large uploads go here, so the test can see they are gone."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    return settings.FILE_UPLOAD_TEMP_DIR


@pytest.mark.parametrize("filename, content, message", HOSTILE_FILES)
def test_hostile_upload_is_refused_with_named_problem_and_leaves_nothing(
    admin_client, settings, upload_temp_dir, filename, content, message
):
    upload = SimpleUploadedFile(filename, content())

    response = admin_client.post(
        ADD_URL, {"file": upload, "alt": ALT, "credit": CREDIT, "focal_x": "0.5", "focal_y": "0.5"}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["file"] and len(errors["file"]) == 1
    assert errors["file"][0].startswith(message), errors["file"][0]
    form = response.context["adminform"].form
    assert (form["alt"].value(), form["credit"].value()) == (ALT, CREDIT)
    assert f'value="{ALT}"' in response.content.decode()
    assert not Image.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []
    assert files_under(upload_temp_dir) == []


def test_animation_under_the_frame_cap_is_accepted(admin_client):
    response = admin_client.post(
        ADD_URL,
        {
            "file": SimpleUploadedFile("spinner.gif", many_frame_gif(frames=12)),
            "alt": ALT,
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 302
    assert Image.objects.get().file.name.endswith(".gif")


@pytest.mark.parametrize(
    "hostile_name",
    [
        "../../evil.jpg",
        "..\\..\\evil.jpg",
        "/etc/evil.jpg",
        "evil\0.jpg",
        "<script>evil</script>.jpg",
        "é" * 300 + ".jpg",
    ],
)
def test_stored_file_name_is_generated_never_the_uploaded_one(admin_client, settings, tmp_path, hostile_name):
    upload = SimpleUploadedFile(hostile_name, image_bytes(400, 300))

    response = admin_client.post(ADD_URL, {"file": upload, "alt": ALT, "focal_x": "0.5", "focal_y": "0.5"})

    assert response.status_code == 302
    name = Image.objects.get().file.name
    assert name.startswith("images/") and Path(name).suffix == ".jpg"
    assert "evil" not in name and ".." not in name and "é" not in name
    stored = files_under(settings.MEDIA_ROOT)
    assert stored and all(path.startswith(str(settings.MEDIA_ROOT)) for path in stored)
    assert not any("evil" in path for path in files_under(tmp_path))
