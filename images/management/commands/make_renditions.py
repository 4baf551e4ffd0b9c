from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from holr.progress import command_progress
from images.models import Image
from images.renditions import make_renditions, renditions_for


class Command(BaseCommand):
    help = (
        "Writes the renditions (AVIF, WebP, JPEG; the 1200×630 share crop, 4:3 and 1:1 crops) "
        "of every library image. Run it once after an upgrade that adds a rendition; uploads get theirs on save."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="Skip images whose AVIF renditions and crops exist."
        )

    def handle(self, *args, missing=False, verbosity, **options):
        done = 0
        with command_progress(
            self, "Images", Image.objects.count(), verbosity=verbosity, unit="images"
        ) as progress:
            for image in Image.objects.order_by("pk").iterator():
                progress()
                renditions = renditions_for(image)
                if renditions is None:
                    continue
                expected = (renditions.avif[-1], *renditions.every_crop)
                if missing and all(default_storage.exists(rendition.name) for rendition in expected):
                    continue
                make_renditions(image)
                done += 1
                if verbosity:
                    self.stdout.write(f"made the renditions of image {image.pk}")
        done_message = ngettext("%(count)d image done.", "%(count)d images done.", done) % {"count": done}
        self.stdout.write(self.style.SUCCESS(done_message))
