"""Import a file: check it whole, then write it all in one transaction, or nothing.

Every batch, whatever its outcome (checked, refused, done, failed), leaves an
ImportBatch row and one `import` audit event. For a finished import both are
written in the import's own transaction, at its very end, so that the audit
chain's head is locked for a moment and not for the whole import.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from ops import audit
from ops.db import is_sqlite
from ops.importer.loader import Counts, FileChanged, Loader
from ops.importer.reader import FileError, file_sha256, open_source
from ops.importer.validate import Plan, Progress, check_file, no_progress
from ops.models import Agency, ImportBatch, User, utcnow
from ops.search import news
from ops.search.sql import index as searchindex
from ops.watch import services as watch

log = logging.getLogger(__name__)
AUDIT_OUTCOME = {"checked": "ok", "done": "ok", "refused": "refused", "failed": "failed"}
# SQLite's page cache for an import's connection, in KiB: with the plan, what bounds an import's memory. A
# million rows peaked at 817 MB with 256 MB, 518 MB with 64 MB and 479 MB with 32 MB, which spills the transaction's
# pages to the WAL and reads them back far more often (README "Speed"); 64 MB is a serving connection's cache too
IMPORT_CACHE_KIB = 64 * 1024


@dataclass
class Outcome:
    batch: ImportBatch
    plan: Plan | None = None
    counts: Counts | None = None

    @property
    def status(self) -> str:
        return self.batch.status

    @property
    def message(self) -> str:
        return self.batch.message


@dataclass
class Job:
    """One file to import and who asks for it."""

    path: Path
    filename: str
    owner: Agency
    user: User | None = None
    batch_id: int | None = None  # an existing batch (the web's dry run) to finish, else a new one


def import_file(engine, job: Job, *, dry_run: bool = False, progress: Progress = no_progress) -> Outcome:
    """Check the file; unless it is a dry run and if every row is good, import it all."""
    sha256 = file_sha256(job.path)
    try:
        source = open_source(job.path)
        with Session(engine, expire_on_commit=False) as db:
            plan = check_file(db, source, job.owner, progress)
    except FileError as error:
        return _record(engine, job, sha256, "refused", message=str(error.message))
    if plan.rows == 0:
        return _record(engine, job, sha256, "refused", plan, message=str(_l("The file has no records.")))
    if not plan.ok:
        return _record(
            engine,
            job,
            sha256,
            "refused",
            plan,
            message=str(_l("Nothing was imported: %(count)s rows have errors.", count=plan.bad_rows)),
        )
    if dry_run:
        return _record(engine, job, sha256, "checked", plan, dry_run=True)
    progress("writing", 0, plan.rows)
    try:
        return _write(engine, job, sha256, plan, source, progress)
    except (FileError, SQLAlchemyError, OSError) as error:
        return _record(engine, job, sha256, "failed", plan, message=str(_failure_message(job, error)))


def _failure_message(job: Job, error: Exception):
    if isinstance(error, FileError):
        return error.message
    log.exception("import of %s for %s failed", job.filename, job.owner.code)
    if isinstance(error, IntegrityError):
        return _l(
            "Records of this file were saved by someone else while it was being imported. "
            "Nothing was imported; check the file again."
        )
    return _l("The database refused the import (%(reason)s). Nothing was imported.", reason=type(error).__name__)


def _write(engine, job: Job, sha256: str, plan: Plan, source, progress: Progress) -> Outcome:
    """The write pass in one transaction, committed at the end of the `begin()` block or not at all."""
    now = utcnow()
    with engine.connect() as connection, _sqlite_import_memory(connection), connection.begin():
        if is_sqlite(engine):
            # take SQLite's single write lock at once: ids are counted on from max(id) under it
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        with Session(bind=connection, expire_on_commit=False) as db:
            with searchindex.deferred(connection):  # the search index: one pass at the end, same transaction
                loader = Loader(db, plan, job.user.id if job.user else None, now, progress)
                counts = loader.run(source)
            if file_sha256(job.path) != sha256:
                raise FileChanged()
            batch = _batch_row(db, job, sha256, "done", plan, counts=counts, now=now)
            _audit(db, job, batch)
            watch.tell(db, loader.touched)  # one inbox item per watching user for the whole import
            _tell_saved_searches(db, loader, job, now)
            db.flush()  # the session joins the connection's transaction; begin() commits it
    return Outcome(batch, plan, counts)


def _tell_saved_searches(db, loader: Loader, job: Job, now) -> None:
    """One inbox item per saved search watched for news that the imported seizures match for its owner."""
    if loader.new_seizures is not None:
        low, high = loader.new_seizures
        news.tell(db, news.of_import(low, high, job.owner.id, now))


@contextmanager
def _sqlite_import_memory(connection):
    """SQLite's index updates go faster with a larger page cache, and the import's memory stays bounded by it:
    no file mapping (every page of the growing database that the import touches would count as the process's
    memory) and the final index pass's temporary b-trees in temporary files, not in memory (searches want both
    the other way). The connection goes back to the pool with the settings it had."""
    if connection.dialect.name != "sqlite":
        yield
        return
    size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    mapped = connection.exec_driver_sql("PRAGMA mmap_size").scalar()
    temp = connection.exec_driver_sql("PRAGMA temp_store").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")  # for this import only
    connection.exec_driver_sql("PRAGMA mmap_size=0")
    connection.exec_driver_sql("PRAGMA temp_store=FILE")
    connection.commit()  # end the autobegun transaction, so that the import's BEGIN is the first
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(size)}")
        connection.exec_driver_sql(f"PRAGMA mmap_size={int(mapped)}")
        connection.exec_driver_sql(f"PRAGMA temp_store={int(temp)}")
        connection.commit()


def _record(
    engine, job: Job, sha256: str, status: str, plan: Plan | None = None, *, dry_run: bool = False, message: str = ""
) -> Outcome:
    """A batch that wrote no records: its row and its audit event, in a transaction of their own."""
    with Session(engine, expire_on_commit=False) as db:
        batch = _batch_row(db, job, sha256, status, plan, dry_run=dry_run, message=message)
        _audit(db, job, batch)
        db.commit()
    return Outcome(batch, plan)


def record_failed(engine, job: Job, message) -> Outcome:
    """A batch that could not even start (its file is gone, an unexpected error): failed, audited."""
    return _record(engine, job, "", "failed", message=str(message))


def _batch_row(
    db: Session,
    job: Job,
    sha256: str,
    status: str,
    plan: Plan | None,
    *,
    counts: Counts | None = None,
    dry_run: bool = False,
    message: str = "",
    now: datetime | None = None,
) -> ImportBatch:
    batch = db.get(ImportBatch, job.batch_id) if job.batch_id else None
    if batch is None:
        batch = ImportBatch(
            agency_id=job.owner.id,
            user_id=job.user.id if job.user else None,
            filename=job.filename[:200],
            sha256=sha256,
        )
    now = now or utcnow()
    batch.status, batch.dry_run, batch.message = status, dry_run, message
    batch.updated_at = batch.finished_at = now
    if plan is not None:
        batch.rows, batch.rows_done = plan.rows, plan.rows
        batch.bad_rows, batch.error_count, batch.rows_skipped = plan.bad_rows, plan.error_count, plan.skipped
        batch.report = json.dumps(
            {"summary": plan.summary(), "errors": [e.as_dict() for e in plan.errors]}, ensure_ascii=False
        )
    if counts is not None:
        batch.operations_created, batch.seizures_created = counts.operations, counts.seizures
        batch.operations_extended, batch.rows_skipped = counts.operations_extended, counts.skipped
        batch.persons_created, batch.vehicles_created = counts.persons, counts.vehicles
    db.add(batch)
    db.flush()
    return batch


def _audit(db: Session, job: Job, batch: ImportBatch) -> None:
    detail = {
        "file": batch.filename,
        "sha256": batch.sha256,
        "dry_run": batch.dry_run,
        "status": batch.status,
        "rows": batch.rows,
        "bad_rows": batch.bad_rows,
        "errors": batch.error_count,
        "operations_created": batch.operations_created,
        "operations_extended": batch.operations_extended,
        "seizures_created": batch.seizures_created,
        "persons_created": batch.persons_created,
        "vehicles_created": batch.vehicles_created,
        "skipped": batch.rows_skipped,
    }
    if batch.message:
        detail["message"] = batch.message
    audit.record(
        db,
        "import",
        user=job.user,
        object_type="importbatch",
        object_id=batch.id,
        object_agency_id=job.owner.id,
        outcome=AUDIT_OUTCOME[batch.status],
        detail=detail,
    )


def report_errors(batch: ImportBatch) -> tuple[dict, list[dict]]:
    """The summary and the listed bad rows of a batch's dry run."""
    if not batch.report:
        return {}, []
    data = json.loads(batch.report)
    return data.get("summary", {}), data.get("errors", [])
