"""Demo records: generated rows, imported by the ordinary importer, so the demo shows every agency's records.

Each operation belongs to the agency of its first row; the rows are split by
that agency and each part is imported with it as the owner. The seed is
fixed and the generator's output for N rows is a prefix of that for more, so
running the demo again (with the same or a larger --records) adds only what is
new: the importer's natural keys make it idempotent.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale

from ops import clock
from ops.db import engine
from ops.generator import GENERATED_COLUMNS, generate_rows
from ops.generator.tables import YEARS
from ops.importer.services import Job, import_file
from ops.importformat import COLUMNS
from ops.models import Agency

DEMO_SEED = 20260101
AGENCY, OPERATION_REF, OCCURRED = COLUMNS.index("agency"), COLUMNS.index("operation_ref"), COLUMNS.index("occurred_at")
# the generator's last possible moment (local time, as the import format writes it)
GENERATED_UNTIL = datetime(max(YEARS), 12, 31, 23, 59, 59)
FILE_ZONE = ZoneInfo("Asia/Tashkent")


def date_shift(now: datetime) -> timedelta:
    """How far to move the generated dates so that the demo ends at `now` (aware), never after it.

    The generator's calendar is fixed (it must be, to stay deterministic); a demo loaded in
    its last year would otherwise hold records dated after the day, which the form refuses.
    """
    return now.astimezone(FILE_ZONE).replace(tzinfo=None, microsecond=0) - GENERATED_UNTIL


def _shifted(row: tuple, shift: timedelta) -> list:
    moved = list(row)
    moved[OCCURRED] = (datetime.fromisoformat(row[OCCURRED]) + shift).isoformat()
    return moved


def _split(records: int, folder: Path) -> dict[str, Path]:
    """Write one CSV per owning agency (by name); returns name -> file."""
    files, writers, owner_of = {}, {}, {}
    shift = date_shift(clock.now())
    try:
        for row in generate_rows(records, DEMO_SEED):
            owner = owner_of.setdefault(row[OPERATION_REF], row[AGENCY])
            if owner not in writers:
                files[owner] = folder / f"demo-{len(files) + 1}.csv"
                handle = open(files[owner], "w", encoding="utf-8", newline="")
                writers[owner] = (handle, csv.writer(handle, lineterminator="\n"))
                writers[owner][1].writerow(GENERATED_COLUMNS)
            writers[owner][1].writerow(_shifted(row, shift))
    finally:
        for handle, _writer in writers.values():
            handle.close()
    return files


def load_generated(records: int, agencies: dict[str, Agency], echo) -> None:
    """Generate `records` rows and import them, each operation owned by the agency of its first row."""
    if records <= 0:
        echo("demo records: none asked for")
        return
    by_name = {agency.name: agency for agency in agencies.values()}
    # no request to choose a language from: messages in the installation's default one
    with force_locale(current_app.config["DEFAULT_LOCALE"]), tempfile.TemporaryDirectory(prefix="ops-demo-") as folder:
        for name, path in sorted(_split(records, Path(folder)).items()):
            owner = by_name[name]
            outcome = import_file(engine(), Job(path, f"demo records ({owner.code})", owner))
            if outcome.status != "done":
                details = "; ".join(
                    f"line {e.line} {e.column}: {e.message}" for e in (outcome.plan.errors[:5] if outcome.plan else [])
                )
                raise RuntimeError(f"demo records for {owner.code} were refused: {outcome.message} {details}")
            batch = outcome.batch
            echo(
                f"demo records {owner.code}: {batch.operations_created} operations and {batch.seizures_created} "
                f"seizures imported, {batch.rows_skipped} were there already"
            )
