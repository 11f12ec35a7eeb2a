"""The optional `equipment` column of the seizure import: inventory numbers separated by ";", the union over an
operation's rows; an unknown number or an item of an agency taking no part refuses the file, nothing written."""

from __future__ import annotations

from collections import Counter

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from ops.generator import COLUMNS
from ops.importer.services import Job, import_file
from ops.models import Operation, Seizure
from ops.models_equipment import OperationEquipment
from tests.support.equipment_kit import make_batch, make_item, make_programme
from tests.support.importing import generated_file, make_demo_orgs, read_rows, write_rows

WITH_EQUIPMENT = [*COLUMNS, "equipment"]


@pytest.fixture
def setting(app, db, make_agency, make_team, tmp_path):
    orgs = make_demo_orgs(make_agency, make_team)
    rows = read_rows(generated_file(tmp_path / "g.csv", 60, seed=5))
    sizes = Counter(row["operation_ref"] for row in rows)
    ref = next(ref for ref, n in sizes.items() if n >= 2)
    mine = [row for row in rows if row["operation_ref"] == ref]
    outsider = next(
        code for code, agency in orgs.items() if agency.name not in {r["agency"] for r in mine} and code != "SCC"
    )
    _donor, project = make_programme(db)
    scc, other = make_batch(db, project, orgs["SCC"], "HN-1"), make_batch(db, project, orgs[outsider], "HN-2")
    items = {n: make_item(db, scc, n) for n in ("SCC-1", "SCC-2")} | {"OUT-1": make_item(db, other, "OUT-1")}
    return {"orgs": orgs, "rows": rows, "ref": ref, "items": items}


def _import(app, path, owner):
    with app.app_context(), force_locale("en"):
        return import_file(app.extensions["ops_engine"], Job(path, path.name, owner))


def _with(setting, first: str, second: str):
    rows = [dict(row, equipment="") for row in setting["rows"]]
    mine = [row for row in rows if row["operation_ref"] == setting["ref"]]
    mine[0]["equipment"], mine[1]["equipment"] = first, second
    return rows


def test_the_union_of_an_operations_rows_is_recorded(app, db, setting, tmp_path):
    path = write_rows(tmp_path / "e.csv", _with(setting, "SCC-1; SCC-2", " SCC-2 "), columns=WITH_EQUIPMENT)
    outcome = _import(app, path, setting["orgs"]["SCC"])
    assert outcome.status == "done", outcome.message
    op_id = db.execute(select(Operation.id).where(Operation.import_key == setting["ref"])).scalar_one()
    used = db.execute(select(OperationEquipment.item_id).where(OperationEquipment.operation_id == op_id)).scalars()
    assert sorted(used) == sorted(setting["items"][n].id for n in ("SCC-1", "SCC-2"))
    assert db.execute(select(func.count()).select_from(OperationEquipment)).scalar_one() == 2


@pytest.mark.parametrize(
    "first,message",
    [
        ("SCC-1; NOPE-9", "no item of the equipment register has this inventory number"),
        ("OUT-1", "belongs to an agency that takes no part in the operation"),
    ],
)
def test_bad_inventory_numbers_refuse_the_file(app, db, setting, tmp_path, first, message):
    path = write_rows(tmp_path / "e.csv", _with(setting, first, ""), columns=WITH_EQUIPMENT)
    outcome = _import(app, path, setting["orgs"]["SCC"])
    assert outcome.status != "done"
    assert any(message in str(error.message) and error.column == "equipment" for error in outcome.plan.errors)
    assert db.execute(select(func.count()).select_from(Seizure)).scalar_one() == 0
    assert db.execute(select(func.count()).select_from(OperationEquipment)).scalar_one() == 0


def test_columns_in_another_order_with_equipment_first(app, db, setting, tmp_path):
    path = write_rows(tmp_path / "e.csv", _with(setting, "SCC-1", ""), columns=["equipment", *reversed(COLUMNS)])
    assert _import(app, path, setting["orgs"]["SCC"]).status == "done"
    assert db.execute(select(func.count()).select_from(OperationEquipment)).scalar_one() == 1


def test_a_row_with_one_value_too_many_is_not_read_as_equipment(app, db, setting, tmp_path):
    path = write_rows(tmp_path / "e.csv", setting["rows"], columns=COLUMNS)  # the plain 23
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] += ",SCC-1"  # a stray cell after the last column of a file without the `equipment` column
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = _import(app, path, setting["orgs"]["SCC"])
    assert outcome.status != "done"
    assert any("expected 23 values, found 24" in str(error.message) for error in outcome.plan.errors)
    assert db.execute(select(func.count()).select_from(OperationEquipment)).scalar_one() == 0
