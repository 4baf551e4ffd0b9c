"""`manage.py restore PATH`: put back a site saved with `manage.py backup`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, restore_backup
from holr.progress import command_progress


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive into this database and MEDIA_ROOT. Run `migrate` first. "
        "Every checksum is verified before anything changes, and the database part is one transaction. "
        "The target must be empty (a freshly migrated database, an empty media folder) unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace whatever the database holds, and overwrite media files of the same name.",
        )

    def handle(self, path, force=False, verbosity=1, **options):
        try:
            with command_progress(self, "Restoring", None, verbosity=verbosity, unit="steps") as progress:
                manifest = restore_backup(path, settings.MEDIA_ROOT, force=force, progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {sum(manifest['counts'].values())} rows and {manifest['media_files']} media files "
            f"from {path} (made {manifest['created_at']} on {manifest['versions']['database']})."
        )
