"""The equipment register: handover batches with their note, items, status and assignment history, bad input."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from sqlmodel import func, select

from ops.models import AuditEvent
from ops.models_equipment import (
    Donor,
    EquipmentAssignment,
    EquipmentItem,
    EquipmentStatusChange,
    HandoverBatch,
    Project,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def programme(db, make_agency, make_team, make_user):
    scc, sss = make_agency("SCC"), make_agency("SSS")
    imt, blo = make_team("IMT-TER"), make_team("BLO-OYB", kind="blo")
    lead = make_user(scc, "lead", teams=[imt])
    make_user(sss, "officer", teams=[blo])
    donor = Donor(name="European Union")
    db.add(donor)
    db.flush()
    project = Project(
        code="BOMCA-10",
        name="Border management",
        donor_id=donor.id,
        component="IMT",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    db.add(project)
    db.commit()
    admin = make_user(scc, "admin")
    return {
        "scc": scc,
        "sss": sss,
        "imt": imt,
        "blo": blo,
        "lead": lead,
        "donor": donor,
        "project": project,
        "admin": admin,
    }


def _batch_form(p, note=PDF, name="note.pdf", reference="HN-2025-001"):
    return {
        "reference": reference,
        "handed_over_on": "2025-03-10",
        "donor": str(p["donor"].id),
        "project": str(p["project"].id),
        "agency": str(p["scc"].id),
        "note": (io.BytesIO(note), name),
    }


def _item_form(p, serial="SN-1", number="INV-1", kind="radio", team=None):
    return {
        "kind": kind,
        "make": "Motorola",
        "model": "DP4400",
        "serial": serial,
        "inventory_number": number,
        "value": "650.00",
        "currency": "USD",
        "team": str(team.id) if team else "",
        "place": "",
    }


def _count(db, model) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()


def _register(client, p):
    response = client.post("/equipment/batches/new", data=_batch_form(p), content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_admin_registers_a_batch_with_its_note_and_items(client, login_as, programme, db):
    login_as(programme["admin"])
    batch_id = _register(client, programme)
    batch = db.get(HandoverBatch, batch_id)
    assert batch.note_sha256 == hashlib.sha256(PDF).hexdigest() and batch.agency_id == programme["scc"].id
    assert (
        client.post(f"/equipment/batches/{batch_id}", data=_item_form(programme, team=programme["imt"])).status_code
        == 302
    )
    item = db.exec(select(EquipmentItem)).one()
    assert (item.status, item.team_id, item.agency_id) == ("in_service", programme["imt"].id, programme["scc"].id)
    page = client.get(f"/equipment/batches/{batch_id}").get_data(as_text=True)
    assert "INV-1" in page and batch.note_sha256 in page
    with client.get(f"/equipment/batches/{batch_id}/note") as note:  # a file response must be closed
        assert note.status_code == 200 and note.data == PDF
    actions = set(db.exec(select(AuditEvent.action)).all())
    assert {"handover_register", "equipment_add", "handover_view", "handover_note_download"} <= actions


def test_status_changes_and_assignments_keep_their_history(client, login_as, programme, db):
    login_as(programme["admin"])
    batch_id = _register(client, programme)
    client.post(f"/equipment/batches/{batch_id}", data=_item_form(programme, team=programme["imt"]))
    item = db.exec(select(EquipmentItem)).one()
    ok = client.post(
        f"/equipment/items/{item.id}/status",
        data={"status": "in_repair", "changed_on": "2025-06-01", "reason": "Antenna broken"},
    )
    assert ok.status_code == 302
    moved = client.post(
        f"/equipment/items/{item.id}/assign", data={"team": "", "place": "AYRITOM", "assigned_on": "2025-07-01"}
    )
    assert moved.status_code == 302
    db.expire_all()
    item = db.get(EquipmentItem, item.id)
    assert (item.status, item.team_id, item.place_code) == ("in_repair", None, "AYRITOM")
    changes = db.exec(select(EquipmentStatusChange.status).order_by(EquipmentStatusChange.id)).all()
    assert changes == ["in_service", "in_repair"]
    spans = db.exec(select(EquipmentAssignment).order_by(EquipmentAssignment.id)).all()
    assert [(a.team_id, a.place_code, a.ended_on) for a in spans] == [
        (programme["imt"].id, None, date(2025, 7, 1)),
        (None, "AYRITOM", None),
    ]
    page = client.get(f"/equipment/items/{item.id}").get_data(as_text=True)
    assert "Antenna broken" in page


@pytest.mark.parametrize(
    "note,name,message",
    [
        (b"MZ\x90\x00 not a pdf", "note.pdf", "must be a signed PDF or a picture"),
        (b"", "note.pdf", "must be a signed PDF or a picture"),
    ],
)
def test_a_note_that_is_not_a_pdf_or_picture_is_refused(client, login_as, programme, db, note, name, message):
    login_as(programme["admin"])
    response = client.post(
        "/equipment/batches/new", data=_batch_form(programme, note=note, name=name), content_type="multipart/form-data"
    )
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _count(db, HandoverBatch) == 0


def test_bad_items_are_refused_with_a_specific_message(client, login_as, programme, db):
    login_as(programme["admin"])
    batch_id = _register(client, programme)
    assert client.post(f"/equipment/batches/{batch_id}", data=_item_form(programme)).status_code == 302
    cases = [
        (_item_form(programme, serial="SN-1", number="INV-2"), "with the serial number SN-1 is already registered"),
        (_item_form(programme, serial="SN-2", number="INV-1"), "inventory number INV-1 is already in use"),
        (
            _item_form(programme, serial="SN-3", number="INV-3", team=programme["blo"]),
            "takes no part in the team BLO-OYB",
        ),
        (_item_form(programme, serial="SN-4", number="INV-4", kind="teleporter"), "Not a valid choice"),
    ]
    for data, message in cases:
        response = client.post(f"/equipment/batches/{batch_id}", data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True), message
    assert _count(db, EquipmentItem) == 1
    # the same serial under another kind is another item
    assert (
        client.post(
            f"/equipment/batches/{batch_id}", data=_item_form(programme, kind="gps", number="INV-9")
        ).status_code
        == 302
    )


def test_status_change_without_a_reason_and_bad_assignment_write_nothing(client, login_as, programme, db):
    login_as(programme["admin"])
    batch_id = _register(client, programme)
    client.post(f"/equipment/batches/{batch_id}", data=_item_form(programme))
    item = db.exec(select(EquipmentItem)).one()
    events = _count(db, AuditEvent)
    no_reason = client.post(
        f"/equipment/items/{item.id}/status", data={"status": "lost", "changed_on": "2025-06-01", "reason": "  "}
    )
    assert no_reason.status_code == 400 and "a reason is required" in no_reason.get_data(as_text=True)
    elsewhere = client.post(
        f"/equipment/items/{item.id}/assign",
        data={"team": str(programme["blo"].id), "place": "", "assigned_on": "2025-06-01"},
    )
    assert elsewhere.status_code == 400 and "takes no part" in elsewhere.get_data(as_text=True)
    db.expire_all()
    item = db.get(EquipmentItem, item.id)
    assert (item.status, item.team_id) == ("in_service", None)
    assert _count(db, EquipmentStatusChange) == 1 and _count(db, EquipmentAssignment) == 0
    assert _count(db, AuditEvent) == events  # not even an audit event: nothing happened


def test_admins_keep_their_agency_items_and_the_programme_officer_sees_all(
    client, login_as, programme, db, make_user, make_agency
):
    login_as(programme["admin"])
    batch_id = _register(client, programme)
    client.post(f"/equipment/batches/{batch_id}", data=_item_form(programme))
    item = db.exec(select(EquipmentItem)).one()
    client.post("/logout")
    other_admin = make_user(programme["sss"], "admin")
    login_as(other_admin)
    assert "INV-1" not in client.get("/equipment/").get_data(as_text=True)
    assert client.get(f"/equipment/items/{item.id}").status_code == 404
    assert client.get(f"/equipment/batches/{batch_id}").status_code == 404
    assert client.get(f"/equipment/batches/{batch_id}/note").status_code == 404
    assert (
        client.post(
            f"/equipment/items/{item.id}/status", data={"status": "lost", "reason": "x", "changed_on": "2025-06-01"}
        ).status_code
        == 404
    )
    client.post("/logout")
    undp = make_agency("UNDP")
    undp.is_programme = True
    db.add(undp)
    db.commit()
    officer = make_user(undp, "programme_officer")
    login_as(officer)
    assert "INV-1" in client.get("/equipment/").get_data(as_text=True)
    assert client.get(f"/equipment/items/{item.id}").status_code == 200
    assert (
        client.post(
            f"/equipment/items/{item.id}/status", data={"status": "lost", "reason": "x", "changed_on": "2025-06-01"}
        ).status_code
        == 403
    )
    assert client.get("/equipment/batches/new").status_code == 403


def test_the_system_administrator_registers_donors_and_projects(client, login_as, programme, db, make_user):
    login_as(programme["admin"])
    assert client.get("/equipment/programme").status_code == 403  # an agency's administrator does not
    client.post("/logout")
    login_as(make_user(programme["scc"], "admin", is_sysadmin=True))
    assert client.post("/equipment/programme", data={"donor-name": "Japan", "donor-submit": "y"}).status_code == 302
    again = client.post("/equipment/programme", data={"donor-name": "Japan", "donor-submit": "y"})
    assert again.status_code == 400 and "already registered" in again.get_data(as_text=True)
    project = {
        "project-code": "JP-1", "project-name": "BLO support", "project-donor": str(programme["donor"].id),
        "project-component": "BLO", "project-starts_on": "2026-01-01", "project-ends_on": "2025-01-01",
        "project-submit": "y",
    }  # fmt: skip
    backwards = client.post("/equipment/programme", data=project)
    assert backwards.status_code == 400 and "cannot end before it starts" in backwards.get_data(as_text=True)
    assert client.post("/equipment/programme", data=project | {"project-ends_on": "2027-01-01"}).status_code == 302
    assert _count(db, Donor) == 2 and _count(db, Project) == 2
