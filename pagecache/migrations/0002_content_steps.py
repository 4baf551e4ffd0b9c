from django.db import migrations, models


class Migration(migrations.Migration):
    """The content version becomes a numbered sequence of steps, each logged with what it
    retired (issue 12). The old random token goes: every page stored under it is made again."""

    dependencies = [
        ("pagecache", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="ContentVersion"),
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField()),
                ("changed_at", models.DateTimeField()),
                ("next_change_at", models.DateTimeField(blank=True, null=True)),
                ("is_schedule_known", models.BooleanField(default=False)),
            ],
        ),
        migrations.CreateModel(
            name="ContentChange",
            fields=[
                ("number", models.BigIntegerField(primary_key=True, serialize=False)),
                ("changed_at", models.DateTimeField()),
                ("keys", models.TextField(blank=True)),
                ("retired_everything", models.BooleanField(default=False)),
            ],
        ),
    ]
