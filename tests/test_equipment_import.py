"""The spreadsheet import of equipment items (issue 13): CSV and XLSX, check first, all rows or none.

`ops equipment-import FILE [--apply]` and the register's import page; every bad row
named by line and column with its own message, and then nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import Workbook
from sqlmodel import func, select

from ops.equipment.importing import COLUMNS
from ops.models import AuditEvent
from ops.models_equipment import EquipmentAssignment, EquipmentItem, EquipmentStatusChange
from tests.support.accounts import login
from tests.support.equipment_kit import make_batch, make_item, make_programme

HEADER = list(COLUMNS.required)


@pytest.fixture
def register(app, db, make_agency, make_team, make_user):
    scc, sss = make_agency("SCC"), make_agency("SSS")
    imt, blo = make_team("IMT-TER"), make_team("BLO-OYB")
    make_user(scc, "lead", teams=[imt])  # SCC takes part in IMT-TER, not in BLO-OYB
    make_user(sss, "officer", teams=[blo])
    _donor, project = make_programme(db)
    programme = make_agency("PRG")
    programme.is_programme = True
    db.commit()
    return {
        "scc": scc,
        "sss": sss,
        "scc_batch": make_batch(db, project, scc, "HN-SCC-1", on=date(2025, 3, 10)),
        "sss_batch": make_batch(db, project, sss, "HN-SSS-1"),
        "scc_admin": make_user(scc, "admin"),
        "officer": make_user(programme, "programme_officer"),
        "db": db,
    }


def _row(**overrides) -> dict:
    row = {
        "kind": "radio",
        "make": "Motorola",
        "model": "DP4800",
        "serial": "MT-0001",
        "inventory_number": "SCC-R-0001",
        "value": "1250.50",
        "currency": "EUR",
        "status": "in_service",
        "agency": "SCC",
        "team_or_crossing_point": "IMT-TER",
        "batch": "HN-SCC-1",
    }
    return {**row, **overrides}


def _csv_file(tmp_path, rows, name="items.csv", delimiter=","):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _xlsx_file(tmp_path, rows, name="items.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row[column] for column in HEADER])
    path = tmp_path / name
    book.save(path)
    return path


def _items(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(EquipmentItem))


GOOD = [
    _row(),
    _row(kind="Fibrescope", serial="FS-1", inventory_number="SCC-F-1", team_or_crossing_point="Oybek", value=""),
    _row(serial="MT-0002", inventory_number="SCC-R-0002", status="in_repair", team_or_crossing_point=""),
]


@pytest.mark.parametrize("writer", [_csv_file, _xlsx_file])
def test_a_good_file_is_checked_then_imported_with_history_and_audit(register, runner, tmp_path, writer):
    path = writer(tmp_path, GOOD)
    checked = runner.invoke(args=["equipment-import", str(path)])
    assert checked.exit_code == 0, checked.output
    assert "3 items are good; nothing written" in checked.output
    assert _items(register["db"]) == 0

    done = runner.invoke(args=["equipment-import", str(path), "--apply"])
    assert done.exit_code == 0, done.output
    assert "imported 3 items" in done.output
    db = register["db"]
    items = {i.inventory_number: i for i in db.scalars(select(EquipmentItem))}
    radio, scope, spare = items["SCC-R-0001"], items["SCC-F-1"], items["SCC-R-0002"]
    assert (radio.kind, radio.agency_id, radio.batch_id, str(radio.value), radio.currency) == (
        "radio",
        register["scc"].id,
        register["scc_batch"].id,
        "1250.50",
        "EUR",
    )
    assert radio.team_id is not None and scope.place_code == "OYBEK" and scope.kind == "fibrescope"
    assert spare.status == "in_repair" and spare.team_id is None and spare.status_since == date(2025, 3, 10)
    changes = db.scalars(select(EquipmentStatusChange).where(EquipmentStatusChange.item_id == spare.id)).all()
    assert [(c.status, c.reason) for c in changes] == [("in_repair", f"Imported from {path.name}")]
    assert db.scalar(select(func.count()).select_from(EquipmentAssignment)) == 2
    events = db.scalars(select(AuditEvent).where(AuditEvent.action.in_(["equipment_import", "equipment_add"]))).all()
    assert sorted(e.action for e in events) == ["equipment_add"] * 3 + ["equipment_import"] * 2
    imported = [e for e in events if e.action == "equipment_import"]
    assert [e.outcome for e in imported] == ["checked", "ok"] and json.loads(imported[1].detail)["items"] == 3


BAD_ROWS = [
    (_row(kind="toaster"), "kind", "Unknown kind of equipment"),
    (_row(serial="MT-0001", inventory_number="SCC-R-0009"), "serial", "The same kind and serial number as line 2"),
    (_row(serial="MT-9", team_or_crossing_point="BLO-OYB"), "team_or_crossing_point", "takes no part in this team"),
    (_row(serial="MT-8", inventory_number="SCC-R-0001"), "inventory_number", "The same inventory number as line 2"),
    (_row(serial="MT-7", inventory_number="X7", agency="NOPE"), "agency", "Unknown agency"),
    (_row(serial="MT-6", inventory_number="X6", batch="HN-SSS-1"), "batch", "handed over to another agency"),
    (_row(serial="MT-5", inventory_number="X5", batch="HN-404"), "batch", "Unknown handover batch"),
    (_row(serial="MT-4", inventory_number="X4", status="broken"), "status", "Unknown status"),
    (_row(serial="MT-3", inventory_number="X3", currency="XYZ"), "currency", "Unknown currency"),
    (_row(serial="MT-2", inventory_number="X2", value="12,5"), "value", "with a dot for decimals"),
    (_row(serial="MT-1", inventory_number="X1", team_or_crossing_point="Atlantis"), "team_or_crossing_point", "team"),
    (_row(serial="MT 0", inventory_number="X0"), "serial", "Use letters, digits"),
    (_row(serial="", inventory_number="X-"), "serial", "Required"),
]


def test_every_bad_row_is_named_by_line_and_column_and_nothing_is_written(register, runner, tmp_path):
    path = _csv_file(tmp_path, [_row()] + [row for row, _column, _message in BAD_ROWS])
    result = runner.invoke(args=["equipment-import", str(path), "--apply"])
    assert result.exit_code == 1
    for line, (_row_values, column, message) in enumerate(BAD_ROWS, start=3):
        found = [text for text in result.output.splitlines() if text.startswith(f"line {line} {column}:")]
        assert found and message in found[0], (line, column, result.output)
    assert "nothing written" in result.output
    assert _items(register["db"]) == 0


def test_a_serial_or_number_registered_before_is_refused(register, runner, tmp_path):
    make_item(register["db"], register["scc_batch"], "SCC-R-0001")  # serial S-SCC-R-0001
    path = _csv_file(tmp_path, [_row(serial="S-SCC-R-0001", inventory_number="NEW-1"), _row(serial="NEW")])
    result = runner.invoke(args=["equipment-import", str(path), "--apply"])
    assert result.exit_code == 1
    assert "line 2 serial: 'S-SCC-R-0001' An item of this kind with this serial number is already registered" in (
        result.output
    )
    assert "line 3 inventory_number: 'SCC-R-0001' This inventory number is already in use" in result.output
    assert _items(register["db"]) == 1


def test_an_xlsx_formula_without_a_saved_value_is_a_bad_row(register, runner, tmp_path):
    path = _xlsx_file(tmp_path, [_row(inventory_number='=CONCAT("SCC-", 1)')])
    result = runner.invoke(args=["equipment-import", str(path), "--apply"])
    assert result.exit_code == 1 and "line 2 inventory_number: A formula without a saved value." in result.output
    assert _items(register["db"]) == 0


def test_a_file_that_is_not_the_format_is_refused_whole(register, runner, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("kind,make\nradio,Motorola\n", encoding="utf-8")
    result = runner.invoke(args=["equipment-import", str(path), "--apply"])
    assert result.exit_code == 1 and "missing: model, serial" in result.output
    assert _items(register["db"]) == 0


# --- the page ---------------------------------------------------------------------------------------


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _upload(client, rows, button="apply", name="items.xlsx", tmp_path=None):
    data = _xlsx_file(tmp_path, rows, name).read_bytes()
    return client.post(
        "/equipment/import",
        data={"file": (io.BytesIO(data), name), button: "1"},
        content_type="multipart/form-data",
    )


def test_an_agency_admin_imports_their_agencys_items_on_the_page(app, register, tmp_path):
    client = _client(app, register["scc_admin"])
    assert "Import items from a spreadsheet" in client.get("/equipment/").get_data(as_text=True)
    checked = _upload(client, GOOD, "check", tmp_path=tmp_path)
    assert checked.status_code == 200 and "3 items would be imported" in checked.get_data(as_text=True)
    assert _items(register["db"]) == 0

    other = _row(agency="SSS", batch="HN-SSS-1", team_or_crossing_point="BLO-OYB", serial="Z", inventory_number="Z")
    refused = _upload(client, [*GOOD, other], tmp_path=tmp_path)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "You may import the items of your own agency only." in page
    assert _items(register["db"]) == 0

    done = _upload(client, GOOD, tmp_path=tmp_path)
    assert done.status_code == 302 and _items(register["db"]) == 3


def test_the_programme_officer_imports_any_agencys_items(app, register, tmp_path):
    client = _client(app, register["officer"])
    row = _row(agency="SSS", batch="HN-SSS-1", team_or_crossing_point="BLO-OYB")
    assert _upload(client, [row], tmp_path=tmp_path).status_code == 302
    assert _items(register["db"]) == 1


def test_readers_of_records_may_not_import(app, register, make_user, tmp_path):
    client = _client(app, make_user(register["scc"], "supervisor"))
    assert client.get("/equipment/import").status_code in (403, 404)
    assert _upload(client, GOOD, tmp_path=tmp_path).status_code in (403, 404)
    assert _items(register["db"]) == 0
