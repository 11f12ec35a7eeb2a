"""`ops backup DIR`: a consistent copy of a running installation, its uploads and a manifest.

The database is copied from one snapshot while the application goes on writing:
SQLite through its online backup API, PostgreSQL by `pg_dump -Fc` on a snapshot
exported from a REPEATABLE READ transaction that also counts the rows and reads
the audit head, so the manifest describes exactly what the dump holds. Uploads
are named by their SHA-256 and never change, so they are copied after the
snapshot: every attachment row in it has its file. The manifest lists the schema
revision, row counts per table, the audit chain's head and the SHA-256 of every
file; `ops restore` (ops/restore.py) refuses a backup that does not match it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump/pg_restore with fixed argv, no shell
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlmodel import SQLModel

from ops import clock
from ops.models import AuditHead

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
UPLOADS = "uploads"


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why."""


@dataclass(frozen=True)
class Snapshot:
    revision: str
    counts: dict[str, int]
    audit_seq: int
    audit_hash: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def libpq(url: URL) -> tuple[str, dict]:
    """A URL for pg_dump/pg_restore and the environment holding its password (never on the command line)."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def read_snapshot(conn: Connection) -> Snapshot:
    """Revision, counts and audit head, as the connection's transaction sees them."""
    revision = "+".join(sorted(r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))))
    counts = {
        table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
    }
    head = conn.execute(select(AuditHead.seq, AuditHead.last_hash).where(AuditHead.id == 1)).one()
    return Snapshot(revision, counts, head[0], head[1])


def _backup_sqlite(engine: Engine, target: Path) -> Snapshot:
    source = sqlite3.connect(engine.url.database, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # one consistent copy; writers go on meanwhile (WAL)
        copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained file: reading it leaves no -wal beside it
    finally:
        source.close()
        copy.close()
    reader = create_engine(f"sqlite:///{target}")  # a plain engine: the copy needs none of the app's pragmas
    try:
        with reader.connect() as conn:
            return read_snapshot(conn)
    finally:
        reader.dispose()


def _backup_postgres(engine: Engine, target: Path) -> Snapshot:
    dsn, env = libpq(engine.url)
    with engine.connect() as conn:
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        snapshot_id = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        snapshot = read_snapshot(conn)
        argv = ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}", "-f", str(target), dsn]
        done = subprocess.run(argv, env=env, capture_output=True, text=True)  # nosec B603
        conn.rollback()
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return snapshot


def _copy_uploads(upload_dir: Path, target: Path) -> None:
    if upload_dir.is_dir():
        shutil.copytree(upload_dir, target, dirs_exist_ok=False)
    else:
        target.mkdir()


def file_list(folder: Path) -> dict[str, str]:
    """Every file under the backup folder but the manifest: relative path -> SHA-256."""
    return {
        path.relative_to(folder).as_posix(): file_sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def backup(engine: Engine, upload_dir: Path, folder: Path) -> dict:
    """Write the backup into `folder` (new or empty) and return its manifest."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: a backup goes into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    started = clock.now()
    if engine.dialect.name == "sqlite":
        snapshot, database = _backup_sqlite(engine, folder / SQLITE_FILE), SQLITE_FILE
    else:
        snapshot, database = _backup_postgres(engine, folder / PG_FILE), PG_FILE
    _copy_uploads(upload_dir, folder / UPLOADS)
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(timespec="seconds"),
        "dialect": engine.dialect.name,
        "database_file": database,
        "schema_revision": snapshot.revision,
        "counts": snapshot.counts,
        "audit_head": {"seq": snapshot.audit_seq, "hash": snapshot.audit_hash},
        "files": file_list(folder),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest
