"""Corrections and updates on articles (issue 10); Editors get their permissions.

Contributors get none: they cannot edit published articles, which is what notes are for.
"""

import django.db.models.deletion
import django.utils.timezone
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR = [("articles", f"{action}_articlenote") for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    had_module = getattr(app_config, "models_module", None)
    app_config.models_module = had_module or True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = had_module
    Permission = apps.get_model("auth", "Permission")
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editor")
    group.permissions.add(
        *[Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in EDITOR]
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(*Permission.objects.filter(codename__in=[c for _, c in EDITOR]))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("correction", "Correction"), ("update", "Update")],
                        default="correction",
                        max_length=10,
                    ),
                ),
                (
                    "noted_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        help_text="When the correction or update was made; not in the future.",
                        verbose_name="time",
                    ),
                ),
                (
                    "text",
                    models.TextField(
                        help_text="Plain text, e.g. “An earlier version misstated the length of the talks.”",
                        max_length=1000,
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notes",
                        to="articles.article",
                    ),
                ),
            ],
            options={
                "verbose_name": "correction or update",
                "verbose_name_plural": "corrections and updates",
                "ordering": ["-noted_at", "-id"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
