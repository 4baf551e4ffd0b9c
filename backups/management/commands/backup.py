"""`manage.py backup PATH`: the whole site (database contents and media files) in one archive."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from backups.archive import BackupError, write_backup
from holr.progress import command_progress


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive holding every database row and every file under MEDIA_ROOT, "
        "with a manifest (versions, row counts, created_at) and SHA-256 checksums. "
        "Restore it with `manage.py restore PATH`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="The archive to write, e.g. holr-2026-11-27.tar.gz. Must not exist yet."
        )

    def handle(self, path, verbosity, **options):
        try:
            with command_progress(
                self, "Backing up", None, verbosity=verbosity, unit="rows and files"
            ) as progress:
                manifest = write_backup(path, settings.MEDIA_ROOT, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        with open(path, "rb") as archive:
            size = filesizeformat(archive.seek(0, 2))
        self.stdout.write(
            f"Backed up {sum(manifest['counts'].values())} rows from {len(manifest['counts'])} models "
            f"and {manifest['media_files']} media files to {path} ({size})."
        )
