"""The roles' permissions on pages: Editors do everything (publishing is checked against
`articles.publish_article` in pages/admin.py); Contributors add and edit unpublished pages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [("pages", f"{action}_page") for action in ("add", "change", "delete", "view")]
CONTRIBUTOR = [("pages", f"{action}_page") for action in ("add", "change", "view")]
GRANTS = {"Editor": EDITOR, "Contributor": CONTRIBUTOR}


def ensure_permissions(apps):
    """Permissions are normally made after all migrations; these grants need them now."""
    app_config = apps.get_app_config("pages")
    had_module = getattr(app_config, "models_module", None)
    app_config.models_module = had_module or True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = had_module


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, pairs in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[Permission.objects.get(content_type__app_label=app, codename=code) for app, code in pairs]
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, pairs in GRANTS.items():
        for group in Group.objects.filter(name=name):
            codenames = [codename for _, codename in pairs]
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="pages", codename__in=codenames)
            )


class Migration(migrations.Migration):

    dependencies = [
        ("pages", "0001_initial"),
        ("articles", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
