"""Editors' permissions on what came after the roles: old addresses, history, sign-in locks.

Editors see and clear old article and tag addresses (301s and 410s), read every
article's history, and unlock an account that failed sign-in too often (django-axes).
Contributors read the history of what they may edit.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    *[
        ("articles", f"{action}_{model}")
        for model in ("articleredirect", "deletedarticle", "tagredirect")
        for action in ("view", "delete")
    ],
    ("revisions", "view_revision"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
]
CONTRIBUTOR = [("revisions", "view_revision")]
GRANTS = {"Editor": EDITOR, "Contributor": CONTRIBUTOR}


def ensure_permissions(apps):
    """Permissions are normally made after all migrations; these grants need them now."""
    for app_label in ("articles", "revisions", "axes"):
        app_config = apps.get_app_config(app_label)
        had_module = getattr(app_config, "models_module", None)
        app_config.models_module = had_module or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = had_module


def permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    return [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in pairs]


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    for name, pairs in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(apps, pairs))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, pairs in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*permissions(apps, pairs))


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0004_history_redirects"),
        ("revisions", "0001_initial"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
