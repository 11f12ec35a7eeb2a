"""Record references: per team and year, never reused, unique under concurrent creation (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlmodel import Session, select

from ops.models import Operation, RefCounter
from ops.operations.refs import next_ref


def _operation(db, team, agency, ref):
    db.add(
        Operation(
            ref=ref,
            title="t",
            op_type="other",
            started_at=datetime(2025, 1, 1, tzinfo=UTC),
            place_name="p",
            owner_agency_id=agency.id,
            owner_team_id=team.id,
        )
    )


def test_references_count_per_team_and_year(app, make_team):
    ter, ayr = make_team("IMT-TER"), make_team("BLO-AYR")
    with Session(app.extensions["ops_engine"]) as db:
        refs = [
            next_ref(db, ter, 2025),
            next_ref(db, ter, 2025),
            next_ref(db, ayr, 2025),
            next_ref(db, ter, 2024),
            next_ref(db, ter, 2025),
        ]
        db.commit()
    assert refs == [
        "IMT-TER-2025-0001",
        "IMT-TER-2025-0002",
        "BLO-AYR-2025-0001",
        "IMT-TER-2024-0001",
        "IMT-TER-2025-0003",
    ]


def test_a_reference_taken_by_an_imported_record_is_skipped(app, db, make_team, make_agency):
    team, agency = make_team("IMT-TER"), make_agency("SCC")
    _operation(db, team, agency, "IMT-TER-2025-0001")
    _operation(db, team, agency, "IMT-TER-2025-0002")
    db.commit()
    with Session(app.extensions["ops_engine"]) as other:
        assert next_ref(other, team, 2025) == "IMT-TER-2025-0003"
        other.commit()


def test_concurrent_creation_gives_unique_consecutive_references(app, db, make_team, make_agency):
    team, agency = make_team("IMT-TER"), make_agency("SCC")
    engine = app.extensions["ops_engine"]
    workers, per_worker = 4, 5
    start = threading.Barrier(workers)
    made, failures = [], []

    def work():
        try:
            start.wait()
            for _ in range(per_worker):
                with Session(engine) as own:  # one transaction per record, as in a request
                    ref = next_ref(own, team, 2026)
                    _operation(own, team, agency, ref)
                    own.commit()
                    made.append(ref)
        except Exception as error:  # noqa: BLE001 - reported below with the thread's result
            failures.append(repr(error))

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert sorted(made) == [f"IMT-TER-2026-{n:04d}" for n in range(1, workers * per_worker + 1)]
    assert db.exec(select(RefCounter.last).where(RefCounter.team_id == team.id)).one() == workers * per_worker
