"""The import page's flow: upload -> dry run -> confirm -> import in a background thread with progress.

The uploaded file waits under the instance folder, named by its SHA-256, until
it is confirmed; the confirm form carries only the batch id, never a path.
The confirmed import runs in a thread with its own database session and
publishes its progress on the batch row, in short transactions of its own.
SQLite has a single writer, so while the import itself writes (one
transaction) no progress can be committed there: the page then shows the
writing phase without a count. PostgreSQL shows the count throughout.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, select

from ops import policy
from ops.db import engine, is_sqlite, session
from ops.importer.reader import file_sha256
from ops.importer.services import Job, Outcome, import_file, record_failed
from ops.models import Agency, ImportBatch, User, utcnow

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.5  # seconds between two progress writes
STALE_UPLOAD_SECONDS = 7 * 24 * 3600
RUNNING = ("queued", "checking", "writing")
STALL_MINUTES = 30  # longer than a web-sized file takes even while SQLite writes without reporting


def upload_folder() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "imports"


def _store(storage) -> tuple[Path, str]:
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = folder / f".upload-{uuid.uuid4().hex}"
    storage.save(temporary)
    sha256 = file_sha256(temporary)
    final = folder / sha256
    os.replace(temporary, final)
    return final, sha256


def _discard(sha256: str) -> None:
    """Remove an uploaded file unless another checked batch still waits for it."""
    waiting = (
        session()
        .exec(select(ImportBatch.id).where(ImportBatch.sha256 == sha256, ImportBatch.status.in_(("checked", *RUNNING))))
        .first()
    )
    if waiting is None:
        (upload_folder() / sha256).unlink(missing_ok=True)


def _purge_stale() -> None:
    """Files checked but never confirmed do not stay forever."""
    folder = upload_folder()
    if not folder.is_dir():
        return
    limit = time.time() - STALE_UPLOAD_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def check_upload(user: User, storage) -> Outcome:
    """Keep the file and run the dry run: every row checked, nothing written but the batch and its audit."""
    _purge_stale()
    path, sha256 = _store(storage)
    owner = session().get(Agency, user.agency_id)
    outcome = import_file(engine(), Job(path, storage.filename or "upload", owner, user), dry_run=True)
    if outcome.status != "checked":
        _discard(sha256)
    return outcome


def batch_of(user: User, batch_id: int) -> ImportBatch:
    """A batch of the user's own agency, or 404 (audited) as if it did not exist."""
    return policy.load(session(), ImportBatch, batch_id, user, "import")


def recent_batches(agency_id: int, limit: int = 20) -> list[tuple[ImportBatch, str]]:
    rows = (
        session()
        .exec(
            select(ImportBatch, User.username)
            .join(User, isouter=True)
            .where(ImportBatch.agency_id == agency_id)
            .order_by(ImportBatch.id.desc())
            .limit(limit)
        )
        .all()
    )
    return [(batch, username or "") for batch, username in rows]


def confirm(user: User, batch: ImportBatch) -> bool:
    """Start the import of a checked batch; False when it was no longer waiting (e.g. a double click)."""
    db = session()
    moved = db.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.status == "checked")
        .values(status="queued", user_id=user.id, rows_done=0, updated_at=utcnow())
    )
    db.commit()
    if moved.rowcount != 1:
        return False
    app = current_app._get_current_object()
    locale = str(get_locale() or app.config["DEFAULT_LOCALE"])  # saved choice, else header switch or browser
    threading.Thread(target=_run, args=(app, batch.id, user.id, locale), name=f"import-{batch.id}", daemon=True).start()
    return True


def _run(app, batch_id: int, user_id: int, locale: str) -> None:
    with app.app_context():
        own_engine = engine()
        with Session(own_engine, expire_on_commit=False) as db:
            batch, user = db.get(ImportBatch, batch_id), db.get(User, user_id)
            owner = db.get(Agency, batch.agency_id)
        # no request in this thread: messages are written in the language the user confirmed in
        with force_locale(locale):
            _import_confirmed(
                own_engine, batch, Job(upload_folder() / batch.sha256, batch.filename, owner, user, batch_id)
            )


def _import_confirmed(own_engine, batch: ImportBatch, job: Job) -> None:
    path = job.path
    try:
        if not path.is_file() or file_sha256(path) != batch.sha256:
            record_failed(own_engine, job, _l("The uploaded file is no longer there. Upload it again."))
        else:
            import_file(own_engine, job, progress=BatchProgress(own_engine, batch.id))
    except Exception:  # the thread must leave the batch finished, whatever happened
        log.exception("import batch %s failed", batch.id)
        record_failed(own_engine, job, _l("The import stopped on an unexpected error. Nothing was imported."))
    finally:
        _discard(batch.sha256)
        session().close()


class BatchProgress:
    """Publishes (phase, rows done, rows) on the batch row, at most twice a second."""

    def __init__(self, own_engine, batch_id: int):
        self.engine, self.batch_id = own_engine, batch_id
        self.count_while_writing = not is_sqlite(own_engine)
        self.phase, self.last = None, 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        moment = time.monotonic()
        if phase == self.phase and (
            moment - self.last < PROGRESS_INTERVAL or (phase == "writing" and not self.count_while_writing)
        ):
            return
        self.phase, self.last = phase, moment
        with Session(self.engine) as db:
            db.execute(
                update(ImportBatch)
                .where(ImportBatch.id == self.batch_id)
                .values(status=phase, rows_done=done, rows=total, updated_at=utcnow())
            )
            db.commit()


def stalled(batch: ImportBatch) -> bool:
    """A running batch that has not moved for long: its server stopped (its transaction then rolled back)."""
    return (
        batch.status in RUNNING
        and batch.updated_at is not None
        and utcnow() - batch.updated_at > timedelta(minutes=STALL_MINUTES)
    )


def progress_of(batch: ImportBatch) -> dict:
    """What the page's script shows; `finished` tells it to reload the page."""
    finished = batch.status not in RUNNING or stalled(batch)
    if batch.status == "checking" and batch.rows:
        percent = min(50 * batch.rows_done // batch.rows, 50)
    elif batch.status == "writing" and batch.rows:
        percent = 50 + min(50 * batch.rows_done // batch.rows, 50) if batch.rows_done else None
    else:
        percent = 100 if finished else 0
    return {
        "status": batch.status,
        "finished": finished,
        "rows": batch.rows,
        "rows_done": batch.rows_done,
        "percent": percent,
        "message": batch.message,
    }
