from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

# File written → template. nginx serves these itself (deploy/nginx/holr.conf): a 414 or
# 400 for a request too long to pass on, a 502/504 while gunicorn is down or restarting.
PAGES = {"414.html": "414.html", "502.html": "503.html"}


class Command(BaseCommand):
    help = (
        "Write the designed error pages that nginx serves without the app (414 request too long, "
        "502 app not answering) into DIRECTORY, with the stylesheet inlined. Run it on every deploy."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="e.g. /srv/holr/error-pages")

    def handle(self, *args, directory, **options):
        stylesheet = finders.find("css/holr.css")
        if stylesheet is None:
            raise CommandError("css/holr.css is not among the static files.")
        # Inlined: /static/ comes from gunicorn (WhiteNoise), which may be the thing that is down.
        css = mark_safe(Path(stylesheet).read_text(encoding="utf-8"))
        context = {"SITE_NAME": settings.SITE_NAME, "inline_stylesheet": css}
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for name, template in PAGES.items():
                (directory / name).write_text(render_to_string(template, context), encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write the error pages to {directory}: {error}") from error
        if options["verbosity"]:
            self.stdout.write(f"Wrote {', '.join(PAGES)} to {directory}")
