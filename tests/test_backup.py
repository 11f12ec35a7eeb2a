"""The backup–restore drill: back up a running instance under writes, restore into a new database, compare.

On SQLite the restore goes to a new file; on PostgreSQL into a database this test creates and drops.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from ops import audit
from ops.app import create_app
from ops.backup import file_sha256
from ops.models import Attachment, AuditEvent, Team
from tests.support.databases import ON_POSTGRES, pg_admin_url

PHOTO = b"\xff\xd8\xff" + os.urandom(2048)


@pytest.fixture
def source(app, db, make_agency, make_team, make_operation):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    operations = [make_operation(scc, team, narrative=f"record {n}") for n in range(5)]
    sha = hashlib.sha256(PHOTO).hexdigest()
    key = f"{sha[:2]}/{sha}"
    stored = Path(app.config["UPLOAD_DIR"], key)
    stored.parent.mkdir(parents=True)
    stored.write_bytes(PHOTO)
    db.add(
        Attachment(
            operation_id=operations[0].id,
            filename="p.jpg",
            content_type="image/jpeg",
            size=len(PHOTO),
            sha256=sha,
            storage_key=key,
        )
    )
    db.commit()
    return {"key": key, "sha": sha}


class Writer(threading.Thread):
    """Writes audit events and teams as fast as it can until stopped: the running instance."""

    def __init__(self, engine):
        super().__init__(daemon=True)
        self.engine, self.stop, self.written, self.error = engine, threading.Event(), 0, None

    def run(self):
        try:
            while not self.stop.is_set():
                with Session(self.engine) as db:
                    db.add(Team(code=f"W{self.written}", name=f"Writer team {self.written}", kind="imt"))
                    audit.record(db, "drill_write", object_type="team", object_id=self.written)
                    db.commit()
                self.written += 1
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error


@pytest.fixture
def target(app_config, tmp_path):
    """An empty database of the same kind, and an app on it."""
    if ON_POSTGRES:
        name = f"ops_restore_{uuid.uuid4().hex[:10]}"
        admin = create_engine(pg_admin_url(app_config["DATABASE_URL"]), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = app_config["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    restored = create_app({**app_config, "DATABASE_URL": url, "UPLOAD_DIR": str(tmp_path / "restored-uploads")})
    yield restored
    restored.extensions["ops_engine"].dispose()
    if ON_POSTGRES:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _hashes(engine, up_to: int) -> list[str]:
    with engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(text("SELECT hash FROM auditevent WHERE seq <= :s ORDER BY seq").bindparams(s=up_to))
        ]


def test_backup_under_writes_restores_to_the_same_records(app, source, target, tmp_path):
    engine = app.extensions["ops_engine"]
    writer = Writer(engine)
    writer.start()
    while writer.written < 20 and writer.is_alive():
        time.sleep(0.01)
    folder = tmp_path / "backup"
    made = app.test_cli_runner().invoke(args=["backup", str(folder)])
    before_stop = writer.written
    time.sleep(0.2)
    writer.stop.set()
    writer.join(timeout=30)
    assert writer.error is None and made.exit_code == 0, (writer.error, made.output)
    manifest = json.loads((folder / "manifest.json").read_text())
    seq = manifest["audit_head"]["seq"]
    assert 20 <= manifest["counts"]["team"] - 1 <= before_stop and writer.written > manifest["counts"]["team"] - 1
    assert manifest["counts"]["operation"] == 5 and manifest["counts"]["attachment"] == 1
    assert manifest["files"][f"uploads/{source['key']}"] == source["sha"]

    restored = target.test_cli_runner().invoke(args=["restore", str(folder)])
    assert restored.exit_code == 0, restored.output
    assert "counts match the manifest" in restored.output
    new_engine = target.extensions["ops_engine"]
    assert _hashes(new_engine, seq) == _hashes(engine, seq)  # the same chain, event for event
    with new_engine.connect() as conn:
        assert conn.execute(text("SELECT max(seq) FROM auditevent")).scalar_one() == seq
        assert conn.execute(text("SELECT count(*) FROM team")).scalar_one() == manifest["counts"]["team"]
    assert file_sha256(Path(target.config["UPLOAD_DIR"], source["key"])) == source["sha"]
    assert target.test_cli_runner().invoke(args=["check"]).exit_code == 0
    # the restored instance goes on: a new event chains onto the restored head
    with Session(new_engine) as db:
        audit.record(db, "after_restore")
        db.commit()
        assert audit.verify(db).ok and db.exec(select(AuditEvent).where(AuditEvent.seq == seq + 1)).one()


def test_restore_refuses_a_damaged_backup_and_a_database_that_is_not_empty(app, source, target, tmp_path):
    folder = tmp_path / "backup"
    assert app.test_cli_runner().invoke(args=["backup", str(folder)]).exit_code == 0
    assert "not empty" in app.test_cli_runner().invoke(args=["backup", str(folder)]).output
    upload = folder / "uploads" / source["key"]
    original = upload.read_bytes()
    upload.write_bytes(original[:-1] + bytes([original[-1] ^ 0xFF]))  # one byte changed, whatever it was
    damaged = target.test_cli_runner().invoke(args=["restore", str(folder)])
    assert damaged.exit_code == 1 and "nothing restored" in damaged.output and "SHA-256" in damaged.output
    upload.write_bytes(original)
    (folder / "extra.txt").write_text("planted")
    planted = target.test_cli_runner().invoke(args=["restore", str(folder)])
    assert planted.exit_code == 1 and "extra.txt is not listed" in planted.output
    (folder / "extra.txt").unlink()
    into_the_source = app.test_cli_runner().invoke(args=["restore", str(folder)])
    assert into_the_source.exit_code == 1 and "not empty" in into_the_source.output
    with target.extensions["ops_engine"].connect() as conn:  # nothing was written by the refusals
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    assert target.test_cli_runner().invoke(args=["restore", str(folder)]).exit_code == 0
