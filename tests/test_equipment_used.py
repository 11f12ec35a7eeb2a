"""Equipment used in an operation: what the form offers, what it refuses, what the record shows."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from ops.models_equipment import OperationEquipment
from tests.support.equipment_kit import make_batch, make_item, make_programme
from tests.support.op_forms import edit_form, operation_form


@pytest.fixture
def world(db, make_agency, make_team, make_user):
    scc, sss, mia = make_agency("SCC"), make_agency("SSS"), make_agency("MIA")
    imt = make_team("IMT-TER")
    lead = make_user(scc, "lead", teams=[imt])
    make_user(sss, "officer", teams=[imt])
    _donor, project = make_programme(db)
    scc_batch, sss_batch = make_batch(db, project, scc, "HN-1"), make_batch(db, project, sss, "HN-2")
    mia_batch = make_batch(db, project, mia, "HN-3")
    return {
        "scc": scc,
        "sss": sss,
        "imt": imt,
        "lead": lead,
        "radio": make_item(db, scc_batch, "SCC-R-1", team=imt),
        "lost": make_item(db, scc_batch, "SCC-V-1", kind="vehicle", status="lost"),
        "scope": make_item(db, sss_batch, "SSS-F-1", kind="fibrescope"),
        "foreign": make_item(db, mia_batch, "MIA-K-1", kind="contraband_kit"),
    }


def test_the_form_lists_in_service_items_of_the_agencies_taking_part(client, login_as, world):
    login_as(world["lead"])
    page = client.get("/operations/new").get_data(as_text=True)
    assert "SCC-R-1" in page and "SSS-F-1" in page  # SSS takes part in the lead's team
    assert "SCC-V-1" not in page and "MIA-K-1" not in page  # lost; an agency outside the team


def _equipment_groups(page: str) -> list[tuple[str, bool, str]]:
    """(agency, shown open, its items' text) of each group of the form's equipment, in order."""
    found = re.findall(r'<details class="equipment-group"( open)?>\s*<summary>([^<]+)<(.*?)</details>', page, re.S)
    return [(agency.strip(), bool(opened), items) for opened, agency, items in found]


def test_the_form_lists_the_items_by_agency_its_own_first_and_folds_the_rest(client, login_as, world, make_user):
    login_as(make_user(world["sss"], "lead", teams=[world["imt"]]))  # SSS, listed after SCC by code
    groups = _equipment_groups(client.get("/operations/new").get_data(as_text=True))
    assert [(agency, opened) for agency, opened, _items in groups] == [
        (world["sss"].name, True),
        (world["scc"].name, False),
    ]
    assert "SSS-F-1" in groups[0][2] and "SCC-R-1" in groups[1][2]
    data = operation_form(world["imt"], equipment=[str(world["radio"].id)], participants=[str(world["scc"].id)])
    op_id = int(client.post("/operations/new", data=data).headers["Location"].rsplit("/", 1)[1])
    edit = _equipment_groups(client.get(f"/operations/{op_id}/edit").get_data(as_text=True))
    assert [opened for _agency, opened, _items in edit] == [True, True]  # a ticked item's agency shows open


def test_the_lead_ticks_the_items_used_and_the_record_shows_them(client, login_as, world, db):
    login_as(world["lead"])
    data = operation_form(world["imt"], equipment=[str(world["radio"].id)])
    response = client.post("/operations/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    op_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert db.exec(select(OperationEquipment.item_id).where(OperationEquipment.operation_id == op_id)).all() == [
        world["radio"].id
    ]
    assert "SCC-R-1" in client.get(f"/operations/{op_id}").get_data(as_text=True)
    form = edit_form(client, op_id)
    assert form["equipment"] == str(world["radio"].id)  # kept ticked on the edit form
    form["equipment"] = [str(world["radio"].id), str(world["scope"].id)]
    form["participants"] = [str(world["scc"].id), str(world["sss"].id)]
    assert client.post(f"/operations/{op_id}/edit", data=form).status_code == 302
    used = db.exec(select(OperationEquipment.item_id).where(OperationEquipment.operation_id == op_id)).all()
    assert sorted(used) == sorted([world["radio"].id, world["scope"].id])
    history = client.get(f"/operations/{op_id}").get_data(as_text=True)
    assert "Equipment used" in history and "SSS-F-1" in history


def test_an_item_of_an_agency_taking_no_part_is_refused(client, login_as, world, db):
    login_as(world["lead"])
    data = operation_form(world["imt"], equipment=[str(world["scope"].id)], participants=[str(world["scc"].id)])
    response = client.post("/operations/new", data=data)
    assert response.status_code == 400
    assert "belongs to an agency that takes no part in this operation" in response.get_data(as_text=True)
    unknown = client.post("/operations/new", data=operation_form(world["imt"], equipment=[str(world["foreign"].id)]))
    assert unknown.status_code == 400 and "Unknown item of equipment" in unknown.get_data(as_text=True)
    assert db.exec(select(OperationEquipment)).all() == []


def _sheet(response) -> list[list]:
    with response:
        book = load_workbook(io.BytesIO(response.data), read_only=True)
        return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_exports_name_the_equipment_used(client, login_as, world, db, make_operation, make_user):
    op = make_operation(world["scc"], world["imt"], status="approved", visibility="all")
    db.add(OperationEquipment(operation_id=op.id, item_id=world["radio"].id))
    db.commit()
    login_as(make_user(world["sss"], "analyst"))
    with client.get("/search/export/csv?agency=SCC") as response:
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert response.status_code == 200, rows[:2]
    column = rows[0].index("Equipment used")
    assert [row[column] for row in rows[1:]] == ["Radio Make M1 (SCC-R-1)"]
    sheet = _sheet(client.get("/search/export/xlsx?agency=SCC"))
    assert [row[sheet[0].index("Equipment used")] for row in sheet[1:]] == ["Radio Make M1 (SCC-R-1)"]
