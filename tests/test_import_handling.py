"""The import format's optional columns handling_code and grading: default H0 and ungraded, bad rows otherwise."""

from __future__ import annotations

import json

from sqlalchemy import select

from ops.importformat import ALL_COLUMNS
from ops.models import ImportBatch, Operation
from tests.support.importing import generated_file, make_demo_orgs, read_rows, write_rows


def _import(runner, path):
    return runner.invoke(args=["import", str(path), "--agency", "SCC"])


def _by_operation(rows: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row["operation_ref"], []).append(row)
    return found


def test_optional_columns_set_code_and_grade_and_default_to_h0_ungraded(runner, db, make_agency, make_team, tmp_path):
    make_demo_orgs(make_agency, make_team)
    rows = read_rows(generated_file(tmp_path / "g.csv", 60, seed=5))
    operations = _by_operation(rows)
    first, second, *_rest = operations
    for row in rows:
        row["handling_code"], row["grading"] = "", ""
    for row in operations[first]:
        row["handling_code"], row["grading"] = "h3: Court only with the owner's consent", "c3"
    for row in operations[second]:
        row["handling_code"], row["visibility"] = "H2", "partners"
    result = _import(runner, write_rows(tmp_path / "coded.csv", rows, columns=ALL_COLUMNS))
    assert result.exit_code == 0, result.output
    stored = {
        op.import_key: (op.handling_code, op.handling_conditions, op.grading)
        for op in db.execute(select(Operation)).scalars()
    }
    assert stored.pop(first) == ("H3", "Court only with the owner's consent", "C3")
    assert stored.pop(second) == ("H2", "", "")
    assert set(stored.values()) == {("H0", "", "")}


def test_values_outside_the_lists_are_bad_rows(runner, db, make_agency, make_team, tmp_path):
    make_demo_orgs(make_agency, make_team)
    rows = read_rows(generated_file(tmp_path / "g.csv", 6, seed=11))[:5]
    for row in rows:
        row["handling_code"], row["grading"], row["visibility"] = "H0", "", "partners"
    rows[0]["handling_code"] = "H9"
    rows[1]["grading"] = "E1"
    rows[2]["handling_code"] = "H3"
    rows[3]["handling_code"], rows[3]["visibility"] = "H2", "all"
    result = _import(runner, write_rows(tmp_path / "bad.csv", rows, columns=ALL_COLUMNS))
    assert result.exit_code != 0
    assert db.execute(select(Operation)).first() is None, "a file with bad rows stores nothing"
    batch = db.execute(select(ImportBatch)).scalars().one()
    bad = {(item["line"], item["column"]) for item in json.loads(batch.report)["errors"]}
    assert {(2, "handling_code"), (3, "grading"), (4, "handling_code"), (5, "handling_code")} <= bad
    assert not any(line == 6 for line, _column in bad)
