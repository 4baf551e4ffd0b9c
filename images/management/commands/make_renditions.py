from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from images.models import Image
from images.renditions import make_renditions, renditions_for


class Command(BaseCommand):
    help = (
        "Writes the renditions (AVIF, WebP, JPEG and the 1200×630 share crop) of every library "
        "image. Run it once after an upgrade that adds a rendition; uploads get theirs on save."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="Skip images whose AVIF renditions and share crop exist."
        )

    def handle(self, *args, missing=False, **options):
        done = 0
        for image in Image.objects.order_by("pk").iterator():
            renditions = renditions_for(image)
            if renditions is None:
                continue
            expected = (renditions.avif[-1], renditions.share)
            if missing and all(default_storage.exists(rendition.name) for rendition in expected):
                continue
            make_renditions(image)
            done += 1
            self.stdout.write(f"made the renditions of image {image.pk}")
        done_message = ngettext("%(count)d image done.", "%(count)d images done.", done) % {"count": done}
        self.stdout.write(self.style.SUCCESS(done_message))
