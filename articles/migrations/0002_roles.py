"""The two editorial roles as Django groups (README "Roles").

The permission lists are frozen here, as they were when this migration was written:
a later change of roles is a new migration, not an edit of this one.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# (app label, codename) pairs.
CONTRIBUTOR = [
    ("articles", "add_article"),
    ("articles", "change_article"),  # narrowed to their own drafts by ArticleAdmin
    ("articles", "view_article"),
    ("articles", "add_articleauthor"),
    ("articles", "change_articleauthor"),
    ("articles", "delete_articleauthor"),
    ("articles", "view_articleauthor"),
    ("articles", "view_section"),
    ("articles", "view_author"),
    ("articles", "view_person"),
    ("articles", "view_place"),
    ("articles", "view_event"),
    ("images", "add_image"),
    ("images", "view_image"),
]

EDITOR = [
    ("articles", "publish_article"),
    *[
        (app_label, f"{action}_{model}")
        for app_label, model in [
            ("articles", "article"),
            ("articles", "articleauthor"),
            ("articles", "section"),
            ("articles", "author"),
            ("articles", "person"),
            ("articles", "place"),
            ("articles", "event"),
            ("images", "image"),
        ]
        for action in ("add", "change", "delete", "view")
    ],
]

ROLES = {"Contributor": CONTRIBUTOR, "Editor": EDITOR}


def ensure_permissions(apps):
    """Permissions are normally made after all migrations; these groups need them now."""
    for app_label in ("articles", "images"):
        app_config = apps.get_app_config(app_label)
        # Historical app configs have no models module; create_permissions skips those.
        had_module = getattr(app_config, "models_module", None)
        app_config.models_module = had_module or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = had_module


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions(apps)
    for name, pairs in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in pairs:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0001_initial"),
        ("images", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
