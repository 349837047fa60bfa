"""Backup and restore of a whole Coso installation: the database and the media folder, in one archive.

An archive is a gzipped tar holding:

- ``manifest.json``: format version, database engine, time of the backup, the row count of every table and
  the size and SHA-256 of every media file, so that a restore can prove it brought back what was saved;
- ``database.sqlite3`` (SQLite, written with SQLite's online backup API, safe while Coso runs) or
  ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``media/...``: the uploaded files (citizens' photos, evidence, attachments).

A restore replaces the database and the media folder with the archive's content, then counts the rows again
and compares them with the manifest. It refuses an archive of another engine.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    media_files: int
    mismatches: list[str]


def engine_name(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def table_counts(alias: str = "default") -> dict[str, int]:
    """The number of rows of every table of the database, by table name."""
    connection = connections[alias]
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- names from introspection, quoted
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root: Path) -> dict[str, dict]:
    """Relative path → size and SHA-256 of every file under the media folder."""
    result = {}
    if not root.is_dir():
        return result
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        result[path.relative_to(root).as_posix()] = {
            "size": path.stat().st_size,
            "sha256": digest.hexdigest(),
        }
    return result


def _pg_env_and_args(alias: str) -> tuple[dict[str, str], list[str]]:
    conf = connections[alias].settings_dict
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    args = []
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    args += ["--dbname", str(conf["NAME"])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install the PostgreSQL client tools")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 -- fixed tools
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def create_backup(target: Path, *, alias: str = "default", media_root: Path | None = None) -> dict:
    """Write a backup archive to ``target`` and return its manifest."""
    engine = engine_name(alias)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[alias]
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if engine == "sqlite":
            member, dump = SQLITE_MEMBER, work_dir / SQLITE_MEMBER
            connection.ensure_connection()
            destination = sqlite3.connect(dump)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        else:
            member, dump = POSTGRES_MEMBER, work_dir / POSTGRES_MEMBER
            env, args = _pg_env_and_args(alias)
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *args], env)
        manifest = {
            "format": FORMAT_VERSION,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "database": member,
            "tables": table_counts(alias),
            "media": media_files(media_root),
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode())
            archive.add(dump, arcname=member)
            for relative in manifest["media"]:
                archive.add(media_root / relative, arcname=f"media/{relative}")
        partial.replace(target)  # a backup cut off half-way never looks like a finished one
    return manifest


def read_manifest(source: Path) -> dict:
    try:
        with tarfile.open(source, "r:gz") as archive:
            handle = archive.extractfile(MANIFEST)
            if handle is None:
                raise KeyError(MANIFEST)
            manifest = json.load(handle)
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError) as exc:
        raise BackupError(f"{source} is not a Coso backup: {exc}") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def restore_backup(source: Path, *, alias: str = "default", media_root: Path | None = None) -> RestoreReport:
    """Replace the database and the media folder with the archive's content; compare with its manifest."""
    manifest = read_manifest(source)
    engine = engine_name(alias)
    if manifest["engine"] != engine:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database; the configured one is {engine}"
        )
    media_root = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[alias]
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(work_dir, filter="data")
        dump = work_dir / manifest["database"]
        if engine == "sqlite":
            connection.ensure_connection()
            origin = sqlite3.connect(dump)
            try:
                origin.backup(connection.connection)
            finally:
                origin.close()
        else:
            connection.close()
            env, args = _pg_env_and_args(alias)
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(dump),
                ],
                env,
            )
        if media_root.exists():
            shutil.rmtree(media_root)
        saved_media = work_dir / "media"
        if saved_media.is_dir():
            shutil.copytree(saved_media, media_root)
        else:
            media_root.mkdir(parents=True)
    counts = table_counts(alias)
    mismatches = [
        f"{table}: {manifest['tables'].get(table, 'missing')} in the backup, {counts.get(table, 'missing')} now"
        for table in sorted(set(counts) | set(manifest["tables"]))
        if counts.get(table) != manifest["tables"].get(table)
    ]
    restored_media = media_files(media_root)
    mismatches += [
        f"media/{name}: differs from the backup"
        for name in sorted(set(restored_media) | set(manifest["media"]))
        if restored_media.get(name) != manifest["media"].get(name)
    ]
    return RestoreReport(
        tables=len(counts), rows=sum(counts.values()), media_files=len(restored_media), mismatches=mismatches
    )
