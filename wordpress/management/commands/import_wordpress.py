"""`manage.py import_wordpress EXPORT.xml`: a WordPress site's posts, authors, images and old addresses.

See docs/wordpress.md. All or nothing; running it again on the same export updates.
"""

import csv
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.vocabularies import VOCABULARIES
from wordpress.importer import Importer
from wordpress.wxr import WXRError

PLAIN_PROGRESS_EVERY = 500


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, or `wp export`; WXR 1.0–1.2): posts become "
        "articles, authors authors, categories sections, tags people, places or events, attachments "
        "library images, and old addresses answer 301. One transaction; a second run updates."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WordPress export file (WXR .xml).")
        parser.add_argument(
            "--uploads",
            metavar="DIR",
            help="A local copy of wp-content/uploads; attachments are looked up there. Nothing is downloaded.",
        )
        parser.add_argument(
            "--tags-as",
            choices=sorted(VOCABULARIES),
            help="The vocabulary WordPress tags go into (unless --tag-map places them).",
        )
        parser.add_argument(
            "--tag-map",
            metavar="FILE.csv",
            help="A CSV of name,vocabulary rows placing single tags, e.g. `Vladimir Putin,people`.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Parse and map everything and print the report, but write nothing.",
        )

    def handle(self, *args, export, uploads=None, tags_as=None, tag_map=None, dry_run=False, **options):
        path = Path(export)
        if not path.is_file():
            raise CommandError(f"No such file: {export}")
        if uploads and not Path(uploads).is_dir():
            raise CommandError(f"--uploads {uploads} is not a folder.")
        importer = Importer(
            path,
            uploads=uploads,
            tags_as=tags_as,
            tag_map=self.read_tag_map(tag_map) if tag_map else None,
            dry_run=dry_run,
            progress=self.progress_reporter(),
        )
        started = time.monotonic()
        try:
            importer.scan()
            if importer.needs_tag_vocabulary:
                raise CommandError(
                    f"The export has {len(importer.tag_names)} tags. Say where they go: "
                    "--tags-as people|places|events, and/or --tag-map FILE.csv with name,vocabulary rows."
                )
            report = importer.run()
        except WXRError as error:
            raise CommandError(f"{path.name}: {error} Nothing was imported.") from error
        finally:
            self.close_progress()
        self.print_report(report, path, dry_run, time.monotonic() - started)

    def read_tag_map(self, tag_map):
        mapping = {}
        try:
            with open(tag_map, newline="", encoding="utf-8-sig") as handle:
                for number, row in enumerate(csv.reader(handle), start=1):
                    if not row or not "".join(row).strip() or row[0].startswith("#"):
                        continue
                    if len(row) != 2 or row[1].strip() not in VOCABULARIES:
                        raise CommandError(
                            f"{tag_map}, line {number}: expected name,vocabulary with vocabulary one of "
                            f"{', '.join(VOCABULARIES)}; got {','.join(row)!r}."
                        )
                    mapping[row[0].strip()] = row[1].strip()
        except OSError as error:
            raise CommandError(f"Cannot read --tag-map {tag_map}: {error.strerror}.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"--tag-map {tag_map} is not UTF-8 text.") from error
        return mapping

    # Progress --------------------------------------------------------------------------

    def progress_reporter(self):
        self._bar = None
        is_terminal = getattr(self.stdout._out, "isatty", lambda: False)()

        def on_terminal(done, total):
            if self._bar is None:
                from tqdm import tqdm

                self._bar = tqdm(total=total, unit="item", file=sys.stderr, leave=False)
            self._bar.update(1)

        def plain(done, total):
            if done % PLAIN_PROGRESS_EVERY == 0 or done == total:
                self.stdout.write(f"{done}/{total} items")

        return on_terminal if is_terminal else plain

    def close_progress(self):
        if getattr(self, "_bar", None) is not None:
            self._bar.close()
            self._bar = None

    # Report ----------------------------------------------------------------------------

    def print_report(self, report, path, dry_run, seconds):
        write = self.stdout.write
        write("")
        write(
            ("Dry run: nothing was written. " if dry_run else "")
            + f"Import report for {path.name} ({seconds:.1f} s)"
        )
        for kind in sorted(report.counts):
            counts = ", ".join(f"{outcome} {n}" for outcome, n in sorted(report.counts[kind].items()))
            write(f"  {kind}: {counts}")
        if report.skipped:
            write("Skipped:")
            for (kind, reason), n in sorted(report.skipped.items()):
                write(f"  {kind}: {n} ({reason})")
        if report.named:
            write("Named:")
            for line in report.named:
                write(f"  {line}")
        if report.shortcodes:
            write(
                "Shortcodes removed (their inner text kept): "
                + ", ".join(f"[{name}] ×{n}" for name, n in sorted(report.shortcodes.items()))
            )
        if report.other_images:
            write("Images outside the uploads folder, not imported:")
            for src, n in sorted(report.other_images.items()):
                write(f"  {src} ×{n}")
        if report.missing_media:
            csv_path = path.with_name(f"{path.stem}-missing-media.csv")
            write(f"Missing media ({len(report.missing_media)}):")
            for wp_id, url, expected, reason in report.missing_media:
                write(f"  {wp_id} {url} {expected} ({reason})")
            if dry_run:
                write(f"  (a real run writes this list to {csv_path})")
            else:
                with open(csv_path, "w", newline="", encoding="utf-8") as handle:
                    writer = csv.writer(handle)
                    writer.writerow(["wordpress_id", "url", "expected_file", "reason"])
                    writer.writerows(report.missing_media)
                write(f"  also written to {csv_path}")
