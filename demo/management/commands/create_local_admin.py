"""`manage.py create_local_admin`: a first admin account for `make run`, never for a server.

Runs only with DEBUG on. The password is random and printed once; nothing is written
when a superuser already exists.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "For local development (`make run`) only: create a superuser named "
        f'"{USERNAME}" with a random password and print it once. Does nothing if a '
        "superuser exists; refuses unless DEBUG is on (DJANGO_DEBUG=1)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "create_local_admin only runs with DEBUG on (DJANGO_DEBUG=1, as `make run` "
                "sets): it prints a password to the terminal. On a server, use "
                "`manage.py createsuperuser`."
            )
        admin_url = settings.SITE_URL + reverse("admin:index")
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(f"Sign in at {admin_url} with your existing admin account.")
            return
        if User.objects.filter(**{User.USERNAME_FIELD: USERNAME}).exists():
            raise CommandError(
                f'A user named "{USERNAME}" exists but is not a superuser; left unchanged. '
                "Create an admin account with `manage.py createsuperuser`."
            )

        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=USERNAME, email="", password=password)
        self.stdout.write(self.style.SUCCESS("Created a local admin account."))
        self.stdout.write(f"  Sign in at: {admin_url}")
        self.stdout.write(f"  Username:   {USERNAME}")
        self.stdout.write(f"  Password:   {password}")
        self.stdout.write(
            "This password is shown only this once. Change it in the admin (top right, "
            '"Change password"), or run `manage.py changepassword admin` if you lose it.'
        )
