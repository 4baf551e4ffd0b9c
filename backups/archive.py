"""Whole-site backups: one .tar.gz holding the database contents and the media files.

The archive holds `data.json` (every row of every installed model, Django's JSON
serialization), `media/…` (every file under MEDIA_ROOT, originals and renditions) and
`manifest.json`: the format, when and from what it was made (Django, Python, database,
applied migrations), row counts per model and a SHA-256 checksum of every other member.

Content types and permissions are not copied: `migrate` makes them in the target, and
rows that point at them are written with natural keys (app label and model name), so a
backup restores into any database, SQLite or PostgreSQL, whatever ids those got there.
"""

import datetime
import hashlib
import io
import json
import os
import platform
import shutil
import tarfile
import tempfile
import zlib
from collections import Counter
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from holr.progress import no_progress
from holr.signals import content_changed

FORMAT = 1
MANIFEST, DATA, MEDIA = "manifest.json", "data.json", "media/"
# Made by `migrate` from the models themselves; restored by natural key, never copied.
MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}
# A freshly migrated database may hold these (roles made by a data migration); a restore
# replaces them, so they do not make a target "non-empty".
SEEDED_BY_MIGRATIONS = {"auth.group"}
# Derived from the rows above, not content: left out, and rebuilt by the restore (the
# content_changed it sends re-indexes search). A PostgreSQL search vector could not
# come from a SQLite backup anyway.
DERIVED = {"search.searchentry"}
CHUNK = 1024 * 1024


class PreciseJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps them to the microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime) or (isinstance(o, datetime.time) and o.utcoffset() is None):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why, for the command line."""


def backed_up_models():
    """Every concrete installed model whose rows a backup holds, ordered so references load."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in MADE_BY_MIGRATE | DERIVED
        and not model._meta.proxy
        and model._meta.managed
    ]
    app_list = {}
    for model in models:
        app_list.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def applied_migrations(using=DEFAULT_DB_ALIAS):
    applied = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def media_files(media_root):
    """Files under MEDIA_ROOT as (absolute path, archive name), in a stable order."""
    root = Path(media_root)
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                found.append((path, MEDIA + PurePosixPath(path.relative_to(root)).as_posix()))
    return found


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
    archive.addfile(info, io.BytesIO(data))


def write_backup(path, media_root, using=DEFAULT_DB_ALIAS, progress=no_progress):
    """Write the archive to `path` (via a temporary name, so no half-written file is left). Returns the manifest.

    `progress` is called once per row and once per media file written.
    """
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name.")
    models = backed_up_models()
    counts = Counter({model._meta.label_lower: 0 for model in models})

    def rows():
        for model in models:
            for row in model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000):
                counts[model._meta.label_lower] += 1
                progress()
                yield row

    partial = path.with_name(path.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix="holr-backup-") as scratch:
            data_path = Path(scratch, DATA)
            connection = connections[using]
            # One consistent snapshot of every table, even while editors keep working
            # (inside a caller's transaction, that transaction's isolation applies).
            starts_transaction = not connection.in_atomic_block
            with transaction.atomic(using=using):
                if connection.vendor == "postgresql" and starts_transaction:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                with data_path.open("w", encoding="utf-8") as stream:
                    serializers.serialize(
                        "json", rows(), use_natural_foreign_keys=True, stream=stream, cls=PreciseJSONEncoder
                    )
                migrations = applied_migrations(using)
            checksums = {DATA: sha256_of_file(data_path)}
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(data_path, arcname=DATA)
                for file_path, name in media_files(media_root):
                    data = file_path.read_bytes()  # hashed and stored from the same read
                    checksums[name] = hashlib.sha256(data).hexdigest()
                    _add_bytes(archive, name, data)
                    progress()
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "versions": {
                        "django": django.get_version(),
                        "python": platform.python_version(),
                        "database": connection.vendor,
                        "migrations": migrations,
                    },
                    "counts": dict(sorted(counts.items())),
                    "media_files": len(checksums) - 1,
                    "sha256": checksums,
                }
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def sha256_of_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_member_name(member):
    name = PurePosixPath(member.name)
    if not member.isfile() or name.is_absolute() or ".." in name.parts or "\\" in member.name:
        raise BackupError(
            f"the archive holds an unsafe entry ({member.name!r}); it was not made by `backup`."
        )
    return name.as_posix()


def read_backup(path, scratch):
    """Unpack `path` into the folder `scratch`, checking every checksum. Returns the manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    digests = {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                name = _safe_member_name(member)
                target = Path(scratch, name)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with archive.extractfile(member) as source, target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                digests[name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(
            f"{path} is damaged or not a HOLR backup ({error or type(error).__name__})."
        ) from error
    if MANIFEST not in digests:
        raise BackupError(f"{path} has no {MANIFEST}: it is incomplete or not a HOLR backup.")
    try:
        manifest = json.loads(Path(scratch, MANIFEST).read_text(encoding="utf-8"))
        expected = manifest["sha256"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{path} has an unreadable {MANIFEST} ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is backup format {manifest.get('format')!r}; this HOLR reads format {FORMAT}."
        )
    del digests[MANIFEST]
    missing = sorted(set(expected) - set(digests))
    unlisted = sorted(set(digests) - set(expected))
    damaged = sorted(name for name in set(expected) & set(digests) if expected[name] != digests[name])
    if missing or unlisted or damaged:
        problems = [
            f"{label}: {', '.join(names[:5])}"
            for label, names in (
                ("missing", missing),
                ("not in the manifest", unlisted),
                ("checksum mismatch", damaged),
            )
            if names
        ]
        raise BackupError(f"{path} failed verification ({'; '.join(problems)}). Nothing was restored.")
    return manifest


def content_rows(using=DEFAULT_DB_ALIAS):
    """Models that already hold rows in the target, other than what migrations make."""
    return [
        model._meta.label_lower
        for model in backed_up_models()
        if model._meta.label_lower not in SEEDED_BY_MIGRATIONS and model._base_manager.using(using).exists()
    ]


def _tables(models):
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        tables += [
            field.remote_field.through._meta.db_table
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        ]
    return tables


def restore_backup(path, media_root, force=False, using=DEFAULT_DB_ALIAS, progress=no_progress):
    """Replace the database contents and media files with the backup at `path`. Returns the manifest.

    Refuses a target that holds content (unless `force`), a damaged archive, and a
    backup made at migrations this database lacks. The database part is one
    transaction: on any error nothing changes. `progress` is called once when the rows
    are loaded and once per media file put in place.
    """
    media_root = Path(media_root)
    with tempfile.TemporaryDirectory(prefix="holr-restore-") as scratch:
        manifest = read_backup(path, scratch)
        missing = {
            f"{app}.{name}" for app, names in manifest["versions"]["migrations"].items() for name in names
        } - {f"{app}.{name}" for app, names in applied_migrations(using).items() for name in names}
        if missing:
            raise BackupError(
                f"This database lacks migrations the backup was made with ({', '.join(sorted(missing)[:5])}). "
                "Run `manage.py migrate` with this or a newer HOLR first."
            )
        if not force:
            occupied = content_rows(using)
            if occupied:
                raise BackupError(
                    f"The database is not empty ({', '.join(occupied[:5])} hold rows). Restore into a freshly "
                    "migrated database, or pass --force to replace everything in it."
                )
            if any(media_root.iterdir() if media_root.is_dir() else ()):
                raise BackupError(
                    f"The media folder {media_root} is not empty. Use an empty folder, or pass --force."
                )
        staged_media = [
            (Path(scratch, name), media_root / name.removeprefix(MEDIA))
            for name in manifest["sha256"]
            if name.startswith(MEDIA)
        ]
        written = []
        connection = connections[using]
        try:
            with transaction.atomic(using=using):
                # Natural keys resolve through ContentType's process-wide cache, which may
                # remember ids from before a flush or from another database.
                ContentType.objects.clear_cache()
                models = backed_up_models()
                _run_pending_constraint_checks(connection)
                derived = [apps.get_model(label) for label in DERIVED]  # emptied too; rebuilt below
                connection.ops.execute_sql_flush(
                    connection.ops.sql_flush(no_style(), _tables([*models, *derived]))
                )
                call_command("loaddata", str(Path(scratch, DATA)), database=using, verbosity=0)
                found = {
                    label: apps.get_model(label)._base_manager.using(using).count()
                    for label in manifest["counts"]
                }
                if found != manifest["counts"]:
                    wrong = {
                        label: (count, found[label])
                        for label, count in manifest["counts"].items()
                        if found[label] != count
                    }
                    raise BackupError(
                        f"Row counts differ after loading (expected, found): {wrong}. Nothing was restored."
                    )
                progress()
                # Files go in under temporary names first and are renamed into place only
                # when all are there, so a failure (a full disk) leaves the folder as it was.
                for source, target in staged_media:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    temporary = target.with_name(f".{target.name}.restoring")
                    shutil.copyfile(source, temporary)
                    written.append(temporary)
                    progress()
                for _source, target in staged_media:
                    os.replace(target.with_name(f".{target.name}.restoring"), target)
        except (DatabaseError, LookupError, serializers.base.DeserializationError) as error:
            _remove(written)
            raise BackupError(f"The backup could not be loaded into this database: {error}") from error
        except BaseException:
            _remove(written)
            raise
    content_changed.send(sender=restore_backup)  # caches and the search index start afresh
    return manifest


def _run_pending_constraint_checks(connection):
    """PostgreSQL will not TRUNCATE a table with deferred checks pending in this transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # loaddata relies on deferred checks


def _remove(paths):
    for path in paths:
        path.unlink(missing_ok=True)
