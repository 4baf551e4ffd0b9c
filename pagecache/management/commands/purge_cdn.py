from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pagecache import cdn


class Command(BaseCommand):
    help = (
        "Purge pages from the CDN (HOLR_CDN_PURGE) by key, e.g. article:12 image:7; "
        f"--all purges every page (the site key {cdn.SITE_KEY!r})."
    )

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="*", metavar="KEY", help="Keys to purge, e.g. article:12.")
        parser.add_argument("--all", action="store_true", help="Purge every page (the site key).")

    def handle(self, *args, keys=(), all=False, **options):
        if not cdn.is_enabled():
            raise CommandError(
                "CDN purging is off: set HOLR_CDN_PURGE to fastly, cloudflare or varnish "
                "(docs/operating.md, “A CDN in front of the pages”)."
            )
        if all and keys:
            raise CommandError("Give the keys to purge or --all, not both.")
        if not all and not keys:
            raise CommandError("Give the keys to purge (e.g. article:12), or --all for every page.")
        keys = [cdn.SITE_KEY] if all else keys
        sent = cdn.keys_to_purge(keys)
        if not sent:
            raise CommandError("No key to purge: every key given was empty.")
        if not cdn.purge(keys):
            raise CommandError(
                f"{settings.CDN_PURGE} did not accept the purge of {' '.join(sent)} (see the warning)."
            )
        self.stdout.write(f"Purged at {settings.CDN_PURGE}: {' '.join(sent)}")
