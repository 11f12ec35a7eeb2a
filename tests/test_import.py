"""Bulk import through the `ops import` command: counts, idempotence, all-or-nothing, what the records hold."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from ops.importer.mapping import VISIBILITY_RANK
from ops.models import AuditEvent, ImportBatch, Operation, OperationAgency, OperationShare, Person, Seizure, Vehicle
from tests.support.importing import (
    all_counts,
    expected_counts,
    generated_file,
    make_demo_orgs,
    read_rows,
    stored_counts,
    write_rows,
)

TASHKENT = ZoneInfo("Asia/Tashkent")


@pytest.fixture
def orgs(make_agency, make_team):
    return make_demo_orgs(make_agency, make_team)


@pytest.fixture
def generated(tmp_path):
    return generated_file(tmp_path / "seizures.csv", 3000, seed=7)


def run_import(runner, path, agency="SCC", *extra):
    return runner.invoke(args=["import", str(path), "--agency", agency, *extra])


def test_generated_file_imports_with_the_counts_the_csv_implies_and_again_adds_nothing(runner, db, orgs, generated):
    expected = expected_counts(read_rows(generated))
    result = run_import(runner, generated)
    assert result.exit_code == 0, result.output
    assert stored_counts(db) == expected
    assert f"{expected['operations']} operations created" in result.output
    before = all_counts(db)

    again = run_import(runner, generated)
    assert again.exit_code == 0, again.output
    assert all_counts(db) == before
    assert "0 operations created" in again.output and "3000 rows were imported before" in again.output
    batches = db.exec(select(ImportBatch).order_by(ImportBatch.id)).scalars().all()
    assert [(b.status, b.seizures_created, b.rows_skipped) for b in batches] == [("done", 3000, 0), ("done", 0, 3000)]
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "import")).scalars().all()
    assert len(events) == 2 and {e.object_agency_id for e in events} == {orgs["SCC"].id}
    detail = json.loads(events[0].detail)
    assert detail["file"] == "seizures.csv" and len(detail["sha256"]) == 64 and detail["dry_run"] is False
    assert detail["seizures_created"] == 3000 and detail["operations_created"] == expected["operations"]
    from ops import audit

    assert audit.verify(db).ok  # the events were written in the import's transaction, chained


def test_dry_run_reports_and_writes_no_record(runner, db, orgs, generated):
    result = run_import(runner, generated, "SCC", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run: 3000 rows are good" in result.output
    assert stored_counts(db) == {"operations": 0, "seizures": 0, "persons": 0, "vehicles": 0}
    batch = db.exec(select(ImportBatch)).scalars().one()
    assert batch.status == "checked" and batch.dry_run
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "import")).scalars().one()
    assert json.loads(event.detail)["dry_run"] is True


def _by_operation(rows):
    grouped = defaultdict(list)
    for row in rows:
        grouped[row["operation_ref"]].append(row)
    return grouped


def test_an_operation_holds_what_its_rows_say(runner, db, orgs, generated):
    rows = read_rows(generated)
    assert run_import(runner, generated).exit_code == 0
    names = {agency.name: agency.id for agency in orgs.values()}
    for key, members in list(_by_operation(rows).items())[:300]:
        op = db.exec(select(Operation).where(Operation.import_key == key)).scalars().one()
        assert op.ref == f"SCC-{key}" and op.status == "approved" and op.owner_agency_id == orgs["SCC"].id
        assert op.visibility == min((r["visibility"] for r in members), key=VISIBILITY_RANK.__getitem__)
        first_local = min(datetime.fromisoformat(r["occurred_at"]) for r in members).replace(tzinfo=TASHKENT)
        assert op.started_at == first_local.astimezone(UTC)
        seizing = {names[r["agency"]] for r in members}
        participants = set(
            db.exec(select(OperationAgency.agency_id).where(OperationAgency.operation_id == op.id)).scalars()
        )
        shares = set(db.exec(select(OperationShare.agency_id).where(OperationShare.operation_id == op.id)).scalars())
        assert participants == seizing | {orgs["SCC"].id} and shares == participants - {orgs["SCC"].id}
        assert op.place_name == members[0]["location"] and op.place_code is not None
        assert members[0]["commodity"].lower() in op.title.lower()
    varied = [m for m in _by_operation(rows).values() if len({r["visibility"] for r in m}) > 1]
    assert varied, "the file should hold operations whose rows differ in visibility"


def test_seizures_persons_and_vehicles_carry_the_row_values(runner, db, orgs, generated):
    rows = {r["seizure_id"]: r for r in read_rows(generated)}
    assert run_import(runner, generated).exit_code == 0
    heroin_kg = next(r for r in rows.values() if r["commodity"] == "heroin" and r["unit"] == "kg")
    seizure = db.exec(select(Seizure).where(Seizure.import_key == heroin_kg["seizure_id"])).scalars().one()
    assert seizure.quantity == Decimal(heroin_kg["quantity"])
    assert seizure.kg_equivalent == Decimal(heroin_kg["quantity"])
    assert seizure.concealment_detail == heroin_kg["concealment"] and seizure.concealment != "other"
    assert seizure.seizing_agency_id == next(a.id for a in orgs.values() if a.name == heroin_kg["agency"])
    air = next(r for r in rows.values() if r["conveyance"] == "air passenger")
    assert (
        db.exec(select(Seizure.conveyance).where(Seizure.import_key == air["seizure_id"])).scalars().one()
        == "air_passenger"
    )
    wagon = next(r for r in rows.values() if r["vehicle_plate"].startswith("wagon"))
    vehicle = db.exec(select(Vehicle).where(Vehicle.plate == wagon["vehicle_plate"])).scalars().first()
    assert vehicle.vehicle_type == "rail_wagon" and vehicle.country is None
    person_row = next(r for r in rows.values() if r["person_name"] and r["nationality"] == "Tajikistan")
    person = (
        db.exec(
            select(Person).where(
                Person.full_name == person_row["person_name"], Person.document_number == person_row["person_document"]
            )
        )
        .scalars()
        .first()
    )
    assert person.nationality == "TJ" and person.name_norm == person_row["person_name"].upper()


def test_a_file_adding_seizures_to_an_imported_operation_adds_just_those(runner, db, orgs, tmp_path):
    rows = read_rows(generated_file(tmp_path / "all.csv", 400, seed=3))
    cut = next(i for i in range(200, 399) if rows[i - 1]["operation_ref"] == rows[i]["operation_ref"])
    split_key = rows[cut]["operation_ref"]
    assert run_import(runner, write_rows(tmp_path / "first.csv", rows[:cut])).exit_code == 0
    op = db.exec(select(Operation).where(Operation.import_key == split_key)).scalars().one()
    version = op.version
    result = run_import(runner, write_rows(tmp_path / "all-again.csv", rows))
    assert result.exit_code == 0, result.output
    assert stored_counts(db) == expected_counts(rows)
    assert "1 extended" in result.output and f"{cut} rows were imported before" in result.output
    db.expire_all()
    op = db.get(Operation, op.id)
    members = [r for r in rows if r["operation_ref"] == split_key]
    assert len(db.exec(select(Seizure.id).where(Seizure.operation_id == op.id)).all()) == len(members)
    assert op.version == version + 1
    assert op.visibility == min((r["visibility"] for r in members), key=VISIBILITY_RANK.__getitem__)


PLANTED = [  # data row index, column, bad value, words of the expected reason
    (3, "commodity", "unobtainium", "unknown commodity"),
    (5, "unit", "pieces", "unit does not fit"),
    (7, "quantity", "-3", "more than zero"),
    (9, "quantity", "5000000", "implausibly large"),
    (11, "occurred_at", "2021-13-45T10:00", "not a date"),
    (13, "lat", "123.4", "out of range"),
    (15, "nationality", "Atlantis", "unknown country"),
    (17, "visibility", "secret", "unknown visibility"),
    (19, "team", "", "missing required value"),
    (21, "agency", "FBI", "unknown agency"),
    (23, "route_origin", "Narnia", "unknown country"),
    (25, "commodity_category", "cash", "belongs to the category"),
]


def test_planted_bad_rows_are_all_reported_and_nothing_is_imported(runner, db, orgs, tmp_path):
    rows = read_rows(generated_file(tmp_path / "good.csv", 300, seed=5))
    for index, column, value, _reason in PLANTED:
        if column in ("unit", "quantity", "commodity_category"):
            rows[index].update(commodity="heroin", commodity_category="drugs", unit="kg", quantity="1.5")
        rows[index][column] = value
    twin = next(i for i in range(40, 299) if rows[i]["operation_ref"] == rows[i + 1]["operation_ref"])
    rows[twin + 1]["location"] = "Keles" if rows[twin]["location"] != "Keles" else "Alat"
    rows[60]["seizure_id"] = rows[2]["seizure_id"]
    result = run_import(runner, write_rows(tmp_path / "bad.csv", rows))
    assert result.exit_code == 1
    for index, column, _value, reason in PLANTED:
        line = index + 2  # the header is line 1
        assert any(f"line {line} {column}:" in text and reason in text for text in result.output.splitlines()), (
            line,
            column,
            result.output,
        )
    assert f"line {twin + 3} location:" in result.output and "disagree" in result.output
    assert "line 62 seizure_id:" in result.output and "appears already on line 4" in result.output
    assert stored_counts(db) == {"operations": 0, "seizures": 0, "persons": 0, "vehicles": 0}
    batch = db.exec(select(ImportBatch)).scalars().one()
    assert batch.status == "refused" and batch.bad_rows == len(PLANTED) + 2
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "import")).scalars().one()
    assert event.outcome == "refused"


def test_rows_that_contradict_an_earlier_import_are_refused(runner, db, orgs, tmp_path):
    rows = read_rows(generated_file(tmp_path / "first.csv", 100, seed=9))
    assert run_import(runner, tmp_path / "first.csv").exit_code == 0
    rows[0]["team"] = "IMT Bukhara" if rows[0]["team"] != "IMT Bukhara" else "IMT Andijan"
    moved = dict(rows[1], operation_ref="SOMEWHERE-ELSE-1")
    result = run_import(runner, write_rows(tmp_path / "second.csv", [rows[0], moved]))
    assert result.exit_code == 1
    assert "line 2 team:" in result.output and "was imported earlier with" in result.output
    assert "line 3 seizure_id:" in result.output and "imported earlier in operation" in result.output


def test_unknown_agency_is_refused(runner, orgs, generated):
    result = run_import(runner, generated, "NOPE")
    assert result.exit_code != 0 and "unknown agency" in result.output


def test_generate_command_writes_the_deterministic_csv(runner, tmp_path):
    import io

    from ops.generator import write_csv

    result = runner.invoke(args=["generate", "--rows", "40", "--seed", "3"])
    assert result.exit_code == 0
    expected = io.StringIO()
    write_csv(40, 3, expected)
    assert result.stdout == expected.getvalue()
    out = tmp_path / "g.csv"
    assert runner.invoke(args=["generate", "--rows", "40", "--seed", "3", "--out", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == expected.getvalue()


def test_imported_values_are_stored_as_the_orm_stores_them(runner, db, orgs, make_operation, make_team, tmp_path):
    """The bulk path converts values with the columns' own processors: a date filter or a sum must
    treat imported and typed-in records alike."""
    from sqlalchemy import text

    typed = make_operation(orgs["SCC"], make_team("IMT-TER"))
    assert run_import(runner, generated_file(tmp_path / "g.csv", 30)).exit_code == 0
    imported = db.exec(select(Operation.id).where(Operation.import_key.is_not(None))).scalars().first()
    raw = {
        op_id: db.execute(
            text(
                "SELECT o.started_at, o.created_at, s.quantity, s.occurred_at FROM operation o "
                "JOIN seizure s ON s.operation_id = o.id WHERE o.id = :id"
            ),
            {"id": op_id},
        ).first()
        for op_id in (typed.id, imported)
    }
    for typed_value, imported_value in zip(raw[typed.id], raw[imported], strict=False):
        if isinstance(typed_value, (int, float, Decimal)):  # SQLite stores a whole 23988.0 as an integer
            assert isinstance(imported_value, (int, float, Decimal))
            continue
        assert type(typed_value) is type(imported_value)
        if isinstance(typed_value, str):  # SQLite keeps datetimes as text: the same shape
            assert len(typed_value) == len(imported_value) and typed_value[10] == imported_value[10]


def test_an_import_that_fails_midway_leaves_nothing_behind_and_is_audited(app, db, orgs, make_team, tmp_path):
    """Someone saves a record with one of the file's natural keys between the check and the write:
    the database refuses, the one transaction rolls back, and the failure is recorded."""
    from flask_babel import force_locale

    from ops import audit
    from ops.importer.services import Job, import_file

    path = generated_file(tmp_path / "g.csv", 500)
    first_key = read_rows(path)[0]["operation_ref"]
    team = make_team("IMT-TER")

    def racer(phase, done, total):
        if phase == "writing" and done == 0:
            db.add(
                Operation(
                    ref="SCC-RACE-1",
                    title="typed in meanwhile",
                    op_type="other",
                    started_at=datetime(2024, 1, 1, tzinfo=UTC),
                    place_name="Termez",
                    owner_agency_id=orgs["SCC"].id,
                    owner_team_id=team.id,
                    import_key=first_key,
                )
            )
            db.commit()

    with app.app_context(), force_locale("en"):
        outcome = import_file(app.extensions["ops_engine"], Job(path, "g.csv", orgs["SCC"]), progress=racer)
        assert outcome.status == "failed" and "saved by someone else" in outcome.message
    assert stored_counts(db) == {"operations": 1, "seizures": 0, "persons": 0, "vehicles": 0}
    batch = db.exec(select(ImportBatch)).scalars().one()
    assert batch.status == "failed" and batch.seizures_created == 0
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "import")).scalars().one()
    assert event.outcome == "failed"
    assert audit.verify(db).ok
