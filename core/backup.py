"""A consistent backup of the whole installation in one file, and its restore.

The file is a ``.tar.gz`` holding

* ``database.sqlite3`` — SQLite's online backup of the live database (consistent while the
  server keeps running), or ``database.dump`` — ``pg_dump --format=custom`` of PostgreSQL;
* ``media/`` — every file of the storage of uploaded and generated files (plan
  attachments, issued reports' files), read through Django's storage API, so the same
  code backs up a local folder or an S3-compatible bucket (docs/deploy.md);
* ``manifest.json`` — when, which engine, and how many rows each table had, which the
  restore checks against what it restored.

Restore puts the database back (SQLite: the online backup API into the live file;
PostgreSQL: ``pg_restore --clean``) and replaces the stored files: every file the storage
holds is deleted, then the backup's are saved under their own names. Both are run by
``manage.py backup`` and ``manage.py restore`` (``core/management/commands``).
"""

import io
import json
import os
import posixpath
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    rows: dict[str, int]
    files: int


def table_counts() -> dict[str, int]:
    """Rows per model table (``app_label.Model``) of every installed, managed model."""
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.label] = model._default_manager.using(connection.alias).count()
    return counts


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("A %(vendor)s database cannot be backed up.") % {"vendor": vendor})
    return vendor


def _pg_env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if s.get(key):
            env[name] = str(s[key])
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return env


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, env=_pg_env(), check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(
            _("The command %(command)s is missing (install postgresql-client on the server).")
            % {"command": command[0]}
        ) from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(
            _("%(command)s failed: %(error)s")
            % {"command": command[0], "error": exc.stderr.strip()}
        ) from exc


def stored_files() -> list[str]:
    """The name of every file in the storage of uploaded and generated files (the local
    folder or the bucket), walking its folders."""
    names, folders = [], [""]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = default_storage.listdir(folder)
        except FileNotFoundError:  # a local folder not made yet: nothing stored
            continue
        names += [posixpath.join(folder, name) for name in files]
        folders += [posixpath.join(folder, name) for name in subfolders]
    return sorted(names)


def _add_stored(archive: tarfile.TarFile, name: str) -> None:
    """Copy one stored file into the archive, read in pieces (it may be in a bucket)."""
    info = tarfile.TarInfo(f"{MEDIA_DIR}/{name}")
    info.size = default_storage.size(name)
    info.mtime = int(time.time())
    with default_storage.open(name, "rb") as fh:
        archive.addfile(info, fh)


def _restore_stored(folder: Path) -> None:
    """Replace every stored file by the files under ``folder`` (the backup's, unpacked)."""
    for name in stored_files():
        default_storage.delete(name)
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    for path in files:
        name = path.relative_to(folder).as_posix()
        with path.open("rb") as fh:
            saved = default_storage.save(name, File(fh, name=name))
        if saved != name:
            raise BackupError(
                _("The file %(name)s was restored as %(saved)s.") % {"name": name, "saved": saved}
            )


def backup_create(path: Path) -> BackupSummary:
    """Write a backup of the database and the uploaded files to ``path`` (.tar.gz)."""
    engine = _engine()
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        connection.ensure_connection()
        rows = table_counts()
        if engine == "sqlite":
            target = sqlite3.connect(tmp / SQLITE_FILE)
            with target:
                connection.connection.backup(target)
            target.close()
            database = SQLITE_FILE
        else:
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    f"--file={tmp / PG_FILE}",
                    connection.settings_dict["NAME"],
                ]
            )
            database = PG_FILE
        files = stored_files()
        manifest = {
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "rows": rows,
            "files": len(files),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(path, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(tmp / database, arcname=database)
            for name in files:
                _add_stored(archive, name)
    return BackupSummary(path=path, engine=engine, rows=rows, files=len(files))


def _manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError as exc:
        raise BackupError(_("This file is not a PTĐV backup (it has no manifest.json).")) from exc
    return json.loads(member.read())


def backup_restore(path: Path) -> BackupSummary:
    """Put the database and the uploaded files of the backup at ``path`` back, then check
    that every table has the rows the backup counted."""
    engine = _engine()
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no file %(path)s.") % {"path": path})
    try:
        archive = tarfile.open(path, "r:gz")
    except tarfile.TarError as exc:
        raise BackupError(
            _("The backup %(path)s cannot be read: %(error)s") % {"path": path, "error": exc}
        ) from exc
    with archive, tempfile.TemporaryDirectory() as tmp:
        manifest = _manifest(archive)
        if manifest.get("engine") != engine:
            raise BackupError(
                _("The backup is of a %(backup)s database and this one is %(engine)s.")
                % {"backup": manifest.get("engine"), "engine": engine}
            )
        # The "data" filter refuses absolute paths, links out of the folder and devices.
        archive.extractall(tmp, filter="data")
        tmp = Path(tmp)
        connection.ensure_connection()
        if engine == "sqlite":
            source = sqlite3.connect(tmp / SQLITE_FILE)
            with source:
                source.backup(connection.connection)
            source.close()
        else:
            connection.close()  # pg_restore drops the tables this connection may hold
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    f"--dbname={connection.settings_dict['NAME']}",
                    str(tmp / PG_FILE),
                ]
            )
        _restore_stored(tmp / MEDIA_DIR)
    rows = table_counts()
    wrong = {
        label: (count, rows.get(label))
        for label, count in manifest["rows"].items()
        if rows.get(label) != count
    }
    if wrong:
        details = "; ".join(f"{label}: {a} → {b}" for label, (a, b) in sorted(wrong.items()))
        raise BackupError(
            _("Restored, but the rows do not match the backup: %(details)s") % {"details": details}
        )
    return BackupSummary(path=path, engine=engine, rows=rows, files=len(stored_files()))
