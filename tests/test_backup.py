"""`manage.py backup` / `manage.py restore`: the whole site in one checked archive, and back."""

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from articles.models import Article, Status
from backups.archive import DERIVED, MADE_BY_MIGRATE
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    """`flush` inside a rolled-back test leaves ContentType's process-wide cache stale."""
    yield
    ContentType.objects.clear_cache()


PROJECT = Path(__file__).resolve().parent.parent


def snapshot():
    """Every row of every installed model, references by natural key where ids are the target's own."""
    rows = {}
    for model in apps.get_models():
        if (
            not model._meta.managed or model._meta.label_lower in DERIVED
        ):  # the search index, rebuilt on restore
            continue
        label = model._meta.label_lower
        objects = model._base_manager.order_by("pk")
        if label in MADE_BY_MIGRATE:
            rows[label] = sorted(map(repr, (obj.natural_key() for obj in objects)))
        else:
            rows[label] = serializers.serialize("python", objects, use_natural_foreign_keys=True)
    return rows


def empty_the_database():
    """What a freshly migrated database holds: content types and permissions (with new ids), nothing else."""
    if connection.vendor == "postgresql":  # TRUNCATE refuses tables with checks pending in this transaction
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def media_snapshot(root):
    root = Path(root)
    return {
        str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()
    }


def build_site(django_user_model):
    """A bit of everything: every state, all three vocabularies, bylines, images, users, groups, admin log."""
    news, culture = (
        make_section(name="News", slug="news"),
        make_section(name="Culture", slug="culture", position=2),
    )
    editor = django_user_model.objects.create_user("editor", "editor@example.com", "pw", is_staff=True)
    desk = Group.objects.create(name="Desk")
    desk.permissions.add(Permission.objects.get(codename="publish_article"))
    editor.groups.add(desk)
    anna = make_author(
        name="Anna K",
        slug="anna-k",
        bio="Moscow correspondent.",
        user=editor,
        photo=make_image(alt="Anna", width=300, height=300),
    )
    guest = make_author(name="Guest Writer", slug="guest")
    lead = make_image(alt="Xi and Putin", credit="Kremlin pool")
    articles = [
        make_article(
            title="Summit",
            section=news,
            authors=[anna, guest],
            lead_image=lead,
            caption="At the table",
            people=["Vladimir Putin", "Xi Jinping", "习近平"],
            places=["Moscow"],
            events=["State visit"],
        ),
        make_article(
            title="Draft", status=Status.DRAFT, published_at=None, section=culture, people=["Xi Jinping"]
        ),
        make_article(title="Review", status=Status.REVIEW, authors=[guest], places=["Zürich"]),
    ]
    LogEntry.objects.log_actions(editor.pk, [articles[0]], CHANGE, change_message="Edited the dek.")
    return articles


def test_round_trip_gives_back_every_row_of_every_model_and_every_file_byte_for_byte(
    django_user_model, tmp_path, settings
):
    build_site(django_user_model)
    before, files_before = snapshot(), media_snapshot(settings.MEDIA_ROOT)
    assert len(files_before) >= 10  # originals and their renditions
    archive = tmp_path / "site.tar.gz"

    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"to {archive}" in out.getvalue()

    # An empty target: a freshly migrated database (content types and permissions made
    # again, with new ids) and an empty media folder.
    empty_the_database()
    shutil.rmtree(settings.MEDIA_ROOT)
    os.makedirs(settings.MEDIA_ROOT)
    assert not Article.objects.exists()

    call_command("restore", str(archive), stdout=io.StringIO())

    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    assert media_snapshot(settings.MEDIA_ROOT) == files_before
    for label in [
        "articles.article",
        "articles.taggedperson",
        "articles.articleauthor",
        "articles.author",
        "articles.section",
        "images.image",
        "auth.user",
        "auth.group",
        "admin.logentry",
    ]:
        assert before[label], f"the round trip test has no {label} rows"
    # The restored database takes new rows (primary-key sequences were moved on).
    assert make_article(title="After the restore").pk > max(a["pk"] for a in before["articles.article"])


def test_manifest_lists_versions_counts_and_checksums(django_user_model, tmp_path):
    build_site(django_user_model)
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["format"] == 1 and manifest["created_at"]
    assert manifest["versions"]["database"] == connection.vendor
    assert "0001_initial" in manifest["versions"]["migrations"]["articles"]
    assert manifest["counts"]["articles.article"] == 3
    assert manifest["counts"]["articles.taggedperson"] == 4
    assert set(manifest["sha256"]) | {"manifest.json"} == names
    assert all(len(digest) == 64 for digest in manifest["sha256"].values())


def test_restore_refuses_a_database_that_holds_content(tmp_path, django_user_model):
    build_site(django_user_model)
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    with pytest.raises(CommandError, match=r"The database is not empty .*pass --force"):
        call_command("restore", str(archive))

    Article.objects.filter(title="Summit").update(title="Changed since")
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert Article.objects.filter(title="Summit").exists()
    assert not Article.objects.filter(title="Changed since").exists()


def test_restore_refuses_a_media_folder_that_holds_files(tmp_path, settings):
    archive = tmp_path / "empty-site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "stray.jpg").write_bytes(b"x")
    with pytest.raises(CommandError, match="media folder .* is not empty"):
        call_command("restore", str(archive))


def test_backup_will_not_overwrite_a_file(tmp_path):
    archive = tmp_path / "site.tar.gz"
    archive.write_bytes(b"precious")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(archive))
    assert archive.read_bytes() == b"precious"


def repack(source, target, change):
    """Copy the archive member by member, letting `change(name, data)` alter each one."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = change(member.name, old.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


@pytest.fixture
def good_archive(tmp_path, django_user_model):
    build_site(django_user_model)
    archive = tmp_path / "site.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    empty_the_database()
    shutil.rmtree(django_settings.MEDIA_ROOT)
    return archive


def flip_a_byte_in_a_media_file(name, data):
    return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("media/") else data


@pytest.mark.parametrize(
    "damage, message",
    [
        pytest.param(
            lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
            r"is damaged or not a HOLR backup",
            id="truncated",
        ),
        pytest.param(
            lambda path: path.write_bytes(b"not an archive at all"),
            r"is damaged or not a HOLR backup",
            id="not-an-archive",
        ),
        pytest.param(
            lambda path: path.write_bytes(gzip.compress(b"plain gzip, no tar")),
            r"is damaged or not a HOLR backup",
            id="gzip-not-tar",
        ),
        pytest.param(
            "flip", r"failed verification \(checksum mismatch: media/images/", id="media-file-changed"
        ),
        pytest.param("data", r"failed verification \(checksum mismatch: data.json", id="data-changed"),
        pytest.param("drop", r"failed verification \(missing: media/", id="media-file-missing"),
        pytest.param("no-manifest", r"has no manifest.json", id="manifest-missing"),
        pytest.param("evil", r"unsafe entry \('\.\./evil.txt'\)", id="path-traversal"),
    ],
)
def test_restore_refuses_a_damaged_archive_and_changes_nothing(good_archive, tmp_path, damage, message):
    if callable(damage):
        damage(good_archive)
        archive = good_archive
    else:
        archive = tmp_path / "damaged.tar.gz"
        dropped = []

        def change(name, data):
            if damage == "flip":
                return flip_a_byte_in_a_media_file(name, data)
            if damage == "data" and name == "data.json":
                return data.replace(b'"Summit"', b'"Sammit"')
            if damage == "drop" and name.startswith("media/") and not dropped:
                dropped.append(name)
                return None
            if damage == "no-manifest" and name == "manifest.json":
                return None
            return data

        repack(good_archive, archive, change)
        if damage == "evil":
            with tarfile.open(archive, "w:gz") as tar:
                info = tarfile.TarInfo("../evil.txt")
                info.size = 4
                tar.addfile(info, io.BytesIO(b"evil"))

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive))
    assert not Article.objects.exists()
    assert not Path(django_settings.MEDIA_ROOT).exists() or not any(
        Path(django_settings.MEDIA_ROOT).rglob("*")
    )
    assert not (tmp_path.parent / "evil.txt").exists()


def run_manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# Run in the SQLite process: build a small site, back it up, print its rows as JSON.
SOURCE_SITE = """
import io, sys
from django.contrib.auth.models import User
from django.core.management import call_command
from tests.builders import make_article, make_author, make_image, make_section
User.objects.create_user("editor", is_staff=True)
make_article(title="Summit", slug="summit", section=make_section(), authors=[make_author(bio="Bio")],
             lead_image=make_image(), people=["Vladimir Putin", "Xi Jinping", "习近平"], places=["Zürich"])
make_article(title="Draft", status="draft", published_at=None)
call_command("backup", "{archive}", stdout=io.StringIO())
call_command("dumpdata", "--natural-foreign", "-e", "contenttypes", "-e", "auth.permission")
"""


def test_site_moves_from_sqlite_to_this_database_through_backup_and_restore(tmp_path, settings, client):
    """A SQLite site, backed up in another process, restores here: PostgreSQL when DATABASE_URL says so."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "holr.settings",
        "DJANGO_SECRET_KEY": "backup-test",
        "DJANGO_HTTPS": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'source.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "source-media"),
    }
    env.pop("REDIS_URL", None), env.pop("CACHE_URL", None)
    archive = tmp_path / "from-sqlite.tar.gz"
    run_manage("migrate", "-v0", env=env)
    output = run_manage("shell", "--no-imports", "-c", SOURCE_SITE.format(archive=archive), env=env)
    source_rows = json.loads(output)

    call_command("restore", str(archive), stdout=io.StringIO())

    restored = json.loads(
        serializers.serialize(
            "json",
            [
                obj
                for model in apps.get_models()
                if model._meta.label_lower not in MADE_BY_MIGRATE | DERIVED and model._meta.managed
                for obj in model._base_manager.order_by("pk")
            ],
            use_natural_foreign_keys=True,
        )
    )

    def key(row):
        return (row["model"], str(row["pk"]))

    source_rows = [
        row
        for row in source_rows
        if row["model"] not in DERIVED and apps.get_model(row["model"])._meta.managed
    ]
    assert sorted(restored, key=key) == sorted(source_rows, key=key)
    assert Article.objects.published().count() == 1
    # The search index is rebuilt in this database's own engine.
    assert [a.title for a in client.get("/search/", {"q": "Summit"}).context["articles"]] == ["Summit"]
    assert Article.objects.get(slug="summit").people.count() == 3
    assert media_snapshot(settings.MEDIA_ROOT) == media_snapshot(tmp_path / "source-media")


def test_a_backup_that_fails_to_load_changes_nothing_even_with_force(tmp_path, django_user_model, settings):
    """The database part is one transaction, and media files go in only when it succeeded."""
    build_site(django_user_model)
    archive, broken = tmp_path / "site.tar.gz", tmp_path / "broken.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    # Checksums that match, but data this database cannot take: a row of an unknown model.
    bad_data = {}

    def change(name, data):
        if name == "data.json":
            rows = json.loads(data)
            rows.append({"model": "articles.nosuchthing", "pk": 1, "fields": {}})
            bad_data["bytes"] = json.dumps(rows).encode()
            return bad_data["bytes"]
        if name == "manifest.json":
            manifest["sha256"]["data.json"] = hashlib.sha256(bad_data["bytes"]).hexdigest()
            return json.dumps(manifest).encode()
        return data

    repack(archive, broken, change)
    Article.objects.filter(title="Summit").update(title="Edited since the backup")
    files_before = media_snapshot(settings.MEDIA_ROOT)

    with pytest.raises(CommandError, match="could not be loaded into this database"):
        call_command("restore", str(broken), "--force")

    assert Article.objects.filter(title="Edited since the backup").exists()
    assert Article.objects.count() == 3
    assert media_snapshot(settings.MEDIA_ROOT) == files_before


def test_help_says_what_each_command_does():
    from backups.management.commands import backup, restore

    backup_help = backup.Command().create_parser("manage.py", "backup").format_help()
    restore_help = restore.Command().create_parser("manage.py", "restore").format_help()
    assert "SHA-256" in backup_help and "manifest" in backup_help
    assert "--force" in restore_help and "empty" in restore_help and "migrate" in restore_help
