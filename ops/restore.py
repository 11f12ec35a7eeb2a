"""`ops restore DIR`: a backup made by `ops backup`, into an empty database, checked afterwards.

Before anything is written, the manifest must be one we wrote and every file must
have the SHA-256 it lists (no file missing, none added); the target database must
be empty (no table at all) and of the backup's kind. After the restore, the audit
chain is verified and the row counts and the audit head are compared with the
manifest. Uploads are copied into the upload folder; a file already there with
other content stops the restore (names are SHA-256 digests, so this is damage).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_restore with fixed argv, no shell
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ops import audit
from ops.backup import FORMAT, MANIFEST, UPLOADS, BackupError, file_list, file_sha256, libpq, read_snapshot


@dataclass
class RestoreReport:
    ok: bool
    problems: list[str] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)


def read_manifest(folder: Path) -> dict:
    """The manifest, checked against the files: BackupError names the first problem."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"no readable {MANIFEST} in {folder}: {error}") from None
    required = ("format", "dialect", "database_file", "schema_revision", "counts", "audit_head", "files")
    if not isinstance(manifest, dict) or any(key not in manifest for key in required):
        raise BackupError(f"{MANIFEST} is not a manifest of ops backup")
    if manifest["format"] != FORMAT:
        raise BackupError(f"backup format {manifest['format']} is not {FORMAT}")
    found, listed = file_list(folder), manifest["files"]
    for name in sorted(set(listed) | set(found)):
        if name not in found:
            raise BackupError(f"{name} is listed in the manifest but missing")
        if name not in listed:
            raise BackupError(f"{name} is not listed in the manifest")
        if found[name] != listed[name]:
            raise BackupError(f"{name} does not have the SHA-256 the manifest lists (damaged or altered)")
    if manifest["database_file"] not in found:
        raise BackupError("the manifest names no database file of the backup")
    return manifest


def _require_empty(engine: Engine, dialect: str) -> None:
    if engine.dialect.name != dialect:
        raise BackupError(f"this is a {dialect} backup; DATABASE_URL names a {engine.dialect.name} database")
    tables = inspect(engine).get_table_names()
    if tables:
        raise BackupError(f"the target database is not empty ({len(tables)} tables): restore only into a new one")


def _restore_database(engine: Engine, source: Path) -> None:
    if engine.dialect.name == "sqlite":
        engine.dispose()  # no pooled connection holds the file while it is written
        backup_copy = sqlite3.connect(source)
        target = sqlite3.connect(engine.url.database)
        try:
            backup_copy.backup(target)
        finally:
            backup_copy.close()
            target.close()
        engine.dispose()
        return
    dsn, env = libpq(engine.url)
    argv = [
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "-d",
        dsn,
        str(source),
    ]
    done = subprocess.run(argv, env=env, capture_output=True, text=True)  # nosec B603
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def _restore_uploads(source: Path, upload_dir: Path) -> None:
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = upload_dir / path.relative_to(source)
        if target.exists():
            if file_sha256(target) != file_sha256(path):
                raise BackupError(f"{target} exists with other content")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def compare(engine: Engine, manifest: dict) -> list[str]:
    """What differs between the database and the manifest, audit chain included."""
    problems = []
    with engine.connect() as conn:
        snapshot = read_snapshot(conn)
    if snapshot.revision != manifest["schema_revision"]:
        problems.append(f"schema revision {snapshot.revision}, the manifest says {manifest['schema_revision']}")
    for table, expected in sorted(manifest["counts"].items()):
        found = snapshot.counts.get(table)
        if found != expected:
            problems.append(f"{table}: {found} rows, the manifest says {expected}")
    head = manifest["audit_head"]
    if (snapshot.audit_seq, snapshot.audit_hash) != (head["seq"], head["hash"]):
        problems.append(f"audit head at {snapshot.audit_seq}, the manifest says {head['seq']}")
    with Session(engine) as db:
        result = audit.verify(db)
    if not result.ok:
        problems.append(f"audit chain broken at event {result.broken_seq}: {result.reason}")
    return problems


def restore(engine: Engine, upload_dir: Path, folder: Path) -> RestoreReport:
    manifest = read_manifest(folder)
    _require_empty(engine, manifest["dialect"])
    _restore_database(engine, folder / manifest["database_file"])
    _restore_uploads(folder / UPLOADS, upload_dir)
    problems = compare(engine, manifest)
    return RestoreReport(not problems, problems, manifest)
