"""The image library: checked uploads, generated names, renditions, the {% picture %} tag."""

import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Status
from images.models import Image
from images.renditions import renditions_for
from tests.builders import image_bytes, make_article, make_image, make_upload

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:images_image_add")
CHANGELIST_URL = reverse("admin:images_image_changelist")


def change_url(image):
    return reverse("admin:images_image_change", args=[image.pk])


def image_data(file=None, **overrides):
    """POST data for the image add/change form."""
    data = {"alt": "Xi Jinping and Vladimir Putin", "credit": "Reuters", "focal_x": "0.5", "focal_y": "0.5"}
    if file is not None:
        data["file"] = file
    data.update(overrides)
    return data


def media_files(settings):
    """Every file under MEDIA_ROOT, as sorted paths relative to it."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(
        str(PurePosixPath(Path(folder, name).relative_to(root)))
        for folder, _, files in os.walk(root)
        for name in files
    )


def rendition_files(image):
    """Storage names of every rendition of `image`: AVIF, WebP, JPEG and the three crops."""
    renditions = renditions_for(image)
    media_url = default_storage.url("")
    return [
        rendition.url.removeprefix(media_url)
        for rendition in (*renditions.avif, *renditions.webp, *renditions.jpeg, *renditions.every_crop)
    ]


def noisy_jpeg(width=800, height=600):
    """A JPEG whose bytes are mostly scan data, so cutting it truncates pixels, not headers."""
    buffer = io.BytesIO()
    PILImage.effect_noise((width, height), 80).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def form_errors(response, field="file"):
    return response.context["adminform"].form.errors.get(field)


class TagCollector(HTMLParser):
    """Start tags of a fragment as (tag, attributes) pairs."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def start_tags(html):
    parser = TagCollector()
    parser.feed(html)
    return parser.tags


# Accepted uploads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename, pil_format, extension",
    [
        ("Holiday Snap.jpg", "JPEG", ".jpg"),
        ("chart.png", "PNG", ".png"),
        ("photo.webp", "WEBP", ".webp"),
        ("animation.gif", "GIF", ".gif"),
        ("phone.avif", "AVIF", ".avif"),
    ],
)
def test_upload_of_accepted_format_is_stored_under_generated_name(
    admin_client, filename, pil_format, extension
):
    """A real image is stored under a generated name with its format's extension, sized, with renditions."""
    upload = SimpleUploadedFile(filename, image_bytes(1500, 1000, image_format=pil_format))

    response = admin_client.post(ADD_URL, image_data(upload))

    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert re.fullmatch(rf"images/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\{extension}", image.file.name)
    assert PurePosixPath(filename).stem not in image.file.name
    assert (image.width, image.height) == (1500, 1000)
    assert (image.alt, image.credit) == ("Xi Jinping and Vladimir Putin", "Reuters")
    assert default_storage.exists(image.file.name)
    with default_storage.open(image.file.name) as stored, PILImage.open(stored) as reopened:
        assert reopened.format == pil_format


def test_upload_makes_webp_and_jpeg_renditions_at_several_widths(admin_client):
    """Saving an upload writes WebP and JPEG renditions at every width below the original, and the original's."""
    admin_client.post(ADD_URL, image_data(make_upload("photo.jpg", width=1500, height=1000)))

    image = Image.objects.get()
    renditions = renditions_for(image)
    assert [r.width for r in renditions.webp] == [320, 640, 960, 1280, 1500]
    assert [r.width for r in renditions.jpeg] == [320, 640, 960, 1280, 1500]
    media_url = default_storage.url("")
    for rendition, pil_format in [
        *((r, "WEBP") for r in renditions.webp),
        *((r, "JPEG") for r in renditions.jpeg),
    ]:
        name = rendition.url.removeprefix(media_url)
        assert default_storage.exists(name), name
        with default_storage.open(name) as stored, PILImage.open(stored) as made:
            assert made.format == pil_format
            assert made.size == (rendition.width, rendition.height)


def test_rotated_phone_photo_gets_upright_dimensions_and_renditions(admin_client):
    """A JPEG with EXIF orientation 6 (rotated 90°) is sized and rendered upright, not squashed."""
    buffer = io.BytesIO()
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    PILImage.new("RGB", (1200, 800), (40, 90, 160)).save(buffer, "JPEG", exif=exif.tobytes())

    admin_client.post(ADD_URL, image_data(SimpleUploadedFile("phone.jpg", buffer.getvalue())))

    image = Image.objects.get()
    assert (image.width, image.height) == (800, 1200)
    largest = renditions_for(image).jpeg[-1]
    with default_storage.open(largest.url.removeprefix(default_storage.url(""))) as stored:
        with PILImage.open(stored) as made:
            assert made.size == (800, 1200) == (largest.width, largest.height)


# Refused uploads -------------------------------------------------------------------------------


def truncated_jpeg():
    data = noisy_jpeg()
    return data[: len(data) // 2]


def huge_png():
    """8000×5001 pixels: just over 40 megapixels, yet small on disk as it is one colour."""
    buffer = io.BytesIO()
    PILImage.new("L", (8000, 5001), 200).save(buffer, "PNG")
    return buffer.getvalue()


def oversized_png():
    """A valid PNG padded past 20 MB: Pillow reads it, only its size is wrong."""
    return image_bytes(400, 300, image_format="PNG") + b"\0" * (21 * 1024 * 1024)


INVALID_IMAGE = (
    "This file is not a JPEG, PNG, WebP, AVIF or GIF image (SVG, text and HTML files are refused), "
    "or it is damaged. Upload a photo or illustration in one of those formats."
)


@pytest.mark.parametrize(
    "filename, content, message",
    [
        pytest.param(
            "notes.jpg", lambda: b"Meeting notes: Xi arrives Monday.\n", INVALID_IMAGE, id="text-as-jpg"
        ),
        pytest.param(
            "page.png",
            lambda: b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            INVALID_IMAGE,
            id="html-as-png",
        ),
        pytest.param(
            "cut.jpg",
            truncated_jpeg,
            re.compile(r"This image file is damaged or incomplete \(.*truncated.*\)\."),
            id="truncated-jpeg",
        ),
        pytest.param(
            "huge.png",
            huge_png,
            "This image is 8000×5001 pixels, over the limit of 40 megapixels.",
            id="over-40-megapixels",
        ),
        pytest.param(
            "big.png",
            oversized_png,
            "This file is 21.0\xa0MB; images may be at most 20.0\xa0MB.",
            id="over-20-megabytes",
        ),
        pytest.param(
            "logo.svg",
            lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
            INVALID_IMAGE,
            id="svg",
        ),
        pytest.param(
            "scan.bmp",
            lambda: image_bytes(400, 300, image_format="BMP"),
            "BMP images are not accepted; upload a JPEG, PNG, WebP, AVIF or GIF.",
            id="bmp",
        ),
        pytest.param(
            "scan.tiff",
            lambda: image_bytes(400, 300, image_format="TIFF"),
            "TIFF images are not accepted; upload a JPEG, PNG, WebP, AVIF or GIF.",
            id="tiff",
        ),
    ],
)
def test_refused_upload_names_the_problem_and_leaves_no_files(
    admin_client, settings, filename, content, message
):
    """A bad upload is a form error naming the problem; nothing is stored and the typed fields survive."""
    upload = SimpleUploadedFile(filename, content())

    response = admin_client.post(
        ADD_URL, image_data(upload, alt="Putin at the Kremlin", credit="Kremlin pool")
    )

    assert response.status_code == 200
    errors = form_errors(response)
    assert errors is not None and len(errors) == 1
    if isinstance(message, str):
        assert errors[0] == message
    else:
        assert message.fullmatch(errors[0]), errors[0]
    assert not Image.objects.exists()
    assert media_files(settings) == []
    html = response.content.decode()
    assert re.search(r'<input type="text" name="alt" value="Putin at the Kremlin"', html)
    assert re.search(r'<input type="text" name="credit" value="Kremlin pool"', html)


def test_alt_text_is_required(admin_client, settings):
    """An image without alt text is refused with a required-field error and nothing is stored."""
    response = admin_client.post(ADD_URL, image_data(make_upload(), alt=""))

    assert response.status_code == 200
    assert form_errors(response, "alt") == ["This field is required."]
    assert not Image.objects.exists()
    assert media_files(settings) == []


# The {% picture %} tag --------------------------------------------------------------------------


def render_picture(image, arguments=""):
    return Template("{% load images %}{% picture image " + arguments + " %}").render(
        Context({"image": image})
    )


def test_picture_renders_avif_and_webp_sources_and_sized_lazy_img():
    """<picture> has AVIF then WebP sources with every width and an <img> with width, height, alt and lazy loading."""
    image = make_image(width=1600, height=900, alt="Two leaders shake hands")
    renditions = renditions_for(image)

    html = render_picture(image, 'sizes="(min-width: 60rem) 60rem, 100vw"')

    tags = start_tags(html)
    assert [tag for tag, _ in tags] == ["picture", "source", "source", "img"]
    avif, source, img = tags[1][1], tags[2][1], tags[3][1]
    assert avif["type"] == "image/avif"
    assert avif["srcset"] == ", ".join(f"{r.url} {r.width}w" for r in renditions.avif)
    assert avif["sizes"] == "(min-width: 60rem) 60rem, 100vw"
    assert source["type"] == "image/webp"
    assert source["srcset"] == ", ".join(f"{r.url} {r.width}w" for r in renditions.webp)
    assert [int(part.split()[1][:-1]) for part in source["srcset"].split(", ")] == [320, 640, 960, 1280, 1600]
    assert source["sizes"] == "(min-width: 60rem) 60rem, 100vw"
    assert img["src"] == renditions.jpeg[2].url
    assert (img["width"], img["height"], img["alt"]) == ("1600", "900", "Two leaders shake hands")
    assert img["loading"] == "lazy"
    assert "fetchpriority" not in img


def test_picture_eager_loading_is_not_lazy_and_high_priority():
    """loading="eager" drops lazy loading and asks for high fetch priority (the lead image)."""
    image = make_image(width=1600, height=900)

    img = dict(start_tags(render_picture(image, 'loading="eager"')))["img"]

    assert "loading" not in img
    assert img["fetchpriority"] == "high"


def test_picture_escapes_alt_text():
    """Quotes and markup in alt text are escaped, not injected into the page."""
    image = make_image(width=640, height=360, alt='Putin says "no" <script>alert(1)</script> & leaves')

    html = render_picture(image)

    assert 'alt="Putin says &quot;no&quot; &lt;script&gt;alert(1)&lt;/script&gt; &amp; leaves"' in html
    assert "<script>" not in html


def test_picture_without_image_renders_nothing():
    """An article without a lead image renders no <picture> at all."""
    assert render_picture(None).strip() == ""


# File lifecycle ---------------------------------------------------------------------------------


def test_replacing_the_file_deletes_old_file_and_renditions(
    admin_client, settings, django_capture_on_commit_callbacks
):
    """Uploading a new file to an image removes the old original and all its renditions (once committed)."""
    image = make_image(width=1000, height=600)
    old_files = [image.file.name, *rendition_files(image)]
    assert all(default_storage.exists(name) for name in old_files)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            change_url(image), image_data(make_upload("new.png", width=700, height=700, image_format="PNG"))
        )

    assert response.status_code == 302, form_errors(response)
    image.refresh_from_db()
    new_files = [image.file.name, *rendition_files(image)]
    assert image.file.name.endswith(".png")
    assert (image.width, image.height) == (700, 700)
    assert not any(default_storage.exists(name) for name in old_files)
    assert media_files(settings) == sorted(new_files)


def test_deleting_an_image_removes_its_file_and_renditions(
    admin_client, settings, django_capture_on_commit_callbacks
):
    """Deleting an image through the admin leaves none of its files behind (once committed)."""
    image = make_image(width=1000, height=600)
    # the original, AVIF, WebP and JPEG at 320, 640, 960, 1000, and the share, 4:3 and 1:1 crops
    assert len(media_files(settings)) == 1 + 3 * 4 + 3

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Image.objects.exists()
    assert media_files(settings) == []


def test_editing_alt_text_keeps_file_and_renditions(admin_client, settings):
    """Saving a change to the alt text alone neither regenerates renditions nor touches the files."""
    image = make_image(width=1000, height=600)
    before = {name: os.stat(Path(settings.MEDIA_ROOT, name)).st_mtime_ns for name in media_files(settings)}

    with mock.patch("images.receivers.make_renditions") as make_renditions:
        response = admin_client.post(change_url(image), image_data(alt="A handshake in the Kremlin"))

    assert response.status_code == 302, form_errors(response)
    make_renditions.assert_not_called()
    image.refresh_from_db()
    assert image.alt == "A handshake in the Kremlin"
    after = {name: os.stat(Path(settings.MEDIA_ROOT, name)).st_mtime_ns for name in media_files(settings)}
    assert after == before


# Image admin pages ----------------------------------------------------------------------------------


def test_image_changelist_shows_thumbnail_and_use_count(admin_client):
    """Each row has a thumbnail of the smallest WebP rendition and how many articles lead with it."""
    used = make_image(width=640, height=360, alt="Used twice")
    unused = make_image(width=640, height=360, alt="Never used")
    make_article(lead_image=used)
    make_article(lead_image=used, status=Status.DRAFT, published_at=None)

    html = admin_client.get(CHANGELIST_URL).content.decode()

    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html[html.index("<tbody>") :], re.S):
        cells = dict(re.findall(r'<t[dh] class="field-(\w+)[^"]*">(.*?)</t[dh]>', row, re.S))
        rows[re.sub(r"<[^>]+>", "", cells["alt"])] = cells
    for image, count in [(used, "2"), (unused, "0")]:
        cells = rows[image.alt]
        assert (
            f'<img src="{renditions_for(image).thumbnail.url}" alt="" width="80" height="45"'
            in cells["thumbnail"]
        )
        assert cells["use_count"] == count


def test_image_change_page_lists_articles_using_it(admin_client):
    """The change page links to every article that leads with the image, with its state."""
    image = make_image(width=640, height=360)
    published = make_article(title="Xi in Moscow", lead_image=image)
    draft = make_article(title="Putin replies", lead_image=image, status=Status.DRAFT, published_at=None)
    make_article(title="Unrelated story")

    html = admin_client.get(change_url(image)).content.decode()

    assert f'<li><a href="{published.get_admin_url()}">Xi in Moscow</a> (lead image, Published)</li>' in html
    assert f'<li><a href="{draft.get_admin_url()}">Putin replies</a> (lead image, Draft)</li>' in html
    assert "Unrelated story" not in html


# AVIF and the share crop ----------------------------------------------------------------------


def stored_image(url):
    name = url.removeprefix(default_storage.url(""))
    with default_storage.open(name) as stored, PILImage.open(stored) as made:
        made.load()
        return made


def test_saving_an_image_makes_avif_renditions_at_every_width():
    """AVIF copies are made on save beside WebP and JPEG, at the same widths and sizes."""
    image = make_image(width=1500, height=1000)

    renditions = renditions_for(image)

    assert [r.width for r in renditions.avif] == [320, 640, 960, 1280, 1500]
    for rendition in renditions.avif:
        made = stored_image(rendition.url)
        assert made.format == "AVIF"
        assert made.size == (rendition.width, rendition.height)


def two_halves(width=3000, height=600):
    """A JPEG upload whose left half is red and right half blue."""
    picture = PILImage.new("RGB", (width, height), (220, 0, 0))
    picture.paste((0, 0, 220), (width // 2, 0, width, height))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile("halves.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_share_crop_is_1200_by_630_and_centred_by_default():
    """Without a focal point set, the share crop is the middle of the image, at 1200×630."""
    image = make_image(file=two_halves())

    crop = stored_image(image.renditions.share.url)

    assert crop.format == "JPEG"
    assert crop.size == (1200, 630)
    left, right = crop.getpixel((50, 315)), crop.getpixel((1150, 315))
    assert left[0] > 150 and left[2] < 80  # red on the left
    assert right[2] > 150 and right[0] < 80  # blue on the right


def test_share_crop_keeps_the_focal_point_in_frame():
    """A focal point near the right edge gives a crop taken from the right: all blue."""
    image = make_image(file=two_halves(), focal_x=0.95, focal_y=0.5)

    crop = stored_image(image.renditions.share.url)

    for x in (5, 600, 1195):
        red, _, blue = crop.getpixel((x, 315))
        assert blue > 150 and red < 80, x


def test_moving_the_focal_point_in_the_admin_makes_a_new_share_crop(admin_client, settings):
    """Saving a new focal point replaces the share crop (under a new URL) and leaves other renditions alone."""
    image = make_image(file=two_halves())
    old_share = image.renditions.share.url

    response = admin_client.post(change_url(image), image_data(focal_x="0.05", focal_y="0.5"))

    assert response.status_code == 302, form_errors(response)
    image.refresh_from_db()
    assert image.renditions.share.url != old_share
    red, _, blue = stored_image(image.renditions.share.url).getpixel((1195, 315))
    assert red > 150 and blue < 80
    assert media_files(settings) == sorted([image.file.name, *rendition_files(image)])


@pytest.mark.parametrize(("crop", "size"), [(1, (1200, 900)), (2, (1200, 1200))])
def test_4_by_3_and_square_crops_keep_the_focal_point_in_frame(crop, size):
    """Google's other two aspect ratios, cut around the focal point as the share crop is."""
    image = make_image(file=two_halves(), focal_x=0.9, focal_y=0.5)
    rendition = image.renditions.every_crop[crop]

    made = stored_image(rendition.url)

    assert made.format == "JPEG"
    assert made.size == (rendition.width, rendition.height) == size
    for x in (5, size[0] // 2, size[0] - 5):  # the right, blue, half only
        red, _, blue = made.getpixel((x, size[1] // 2))
        assert blue > 150 and red < 80, x


def test_moving_the_focal_point_replaces_all_three_crops_and_only_them(admin_client, settings):
    image = make_image(file=two_halves())
    old_crops = [rendition.url for rendition in image.renditions.every_crop]
    widths = [rendition.url for rendition in image.renditions.jpeg]

    response = admin_client.post(change_url(image), image_data(focal_x="0.05", focal_y="0.5"))

    assert response.status_code == 302, form_errors(response)
    image.refresh_from_db()
    new_crops = [rendition.url for rendition in image.renditions.every_crop]
    assert [url.rsplit("/", 1)[1] for url in new_crops] == [
        "share-50-500.jpg",
        "4x3-50-500.jpg",
        "1x1-50-500.jpg",
    ]
    assert not set(old_crops) & set(new_crops)
    assert [rendition.url for rendition in image.renditions.jpeg] == widths
    assert media_files(settings) == sorted([image.file.name, *rendition_files(image)])


def test_make_renditions_command_backfills_missing_crops(capsys):
    """After the upgrade that adds the 4:3 and 1:1 crops, `--missing` makes them for older images."""
    image = make_image(width=700, height=400)
    square = image.renditions.crops[1]
    default_storage.delete(square.name)

    from django.core.management import call_command

    call_command("make_renditions", "--missing")

    assert default_storage.exists(square.name)
    assert f"made the renditions of image {image.pk}" in capsys.readouterr().out


def test_make_renditions_command_backfills_missing_avif(capsys):
    """`make_renditions --missing` writes the AVIF copies an older image lacks, and skips complete ones."""
    image = make_image(width=700, height=400)
    complete = make_image(width=700, height=400)
    for rendition in image.renditions.avif:
        default_storage.delete(rendition.url.removeprefix(default_storage.url("")))

    from django.core.management import call_command

    call_command("make_renditions", "--missing")

    assert all(stored_image(r.url).format == "AVIF" for r in image.renditions.avif)
    output = capsys.readouterr().out
    assert f"image {image.pk}\n" in output and f"image {complete.pk}\n" not in output


def test_image_change_page_offers_the_focal_point_picker_and_share_preview(admin_client):
    """The change form has a clickable preview wired to focal-point.js, the number fields, and the share crop."""
    image = make_image(width=1500, height=1000)

    response = admin_client.get(change_url(image))

    content = response.content.decode()
    assert "data-focal-point" in content
    assert "js/focal-point.js" in content and "css/admin-images.css" in content
    assert 'name="focal_x"' in content and 'name="focal_y"' in content
    assert f'src="{image.renditions.share.url}"' in content
    assert ' style="' not in content.split("data-focal-point", 1)[1].split("</div>", 1)[0]
