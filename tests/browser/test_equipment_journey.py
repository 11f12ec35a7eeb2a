"""In the browser: an administrator registers a handover batch with its note and items and assigns them,
a team lead ticks them on an operation, and the programme officer sees their utilisation in the report.

Screenshots of every step go to test-artifacts/screenshots/equipment/.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from ops import clock
from ops.models import Operation
from ops.models_equipment import EquipmentItem, OperationEquipment
from tests.support.browser import sign_in, sign_out, submit
from tests.support.equipment_kit import make_programme
from tests.support.op_forms import local, yesterday

pytestmark = pytest.mark.browser
SHOTS = "equipment"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n% signed handover note\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cast(db, make_user, make_team, make_agency):
    team = make_team("IMT-TER", "IMT Termez")
    scc, sss = make_agency("SCC", "State Customs Committee"), make_agency("SSS", "State Security Service")
    programme = make_agency("UNDP", "Programme office")
    programme.is_programme = True
    db.add(programme)
    db.commit()
    make_programme(db)
    return {
        "team": team,
        "scc": scc,
        "admin": make_user(scc, role="admin", username="scc.admin"),
        "lead": make_user(scc, role="lead", teams=[team], username="scc.lead"),
        "partner": make_user(sss, role="officer", teams=[team], username="sss.officer"),
        "officer": make_user(programme, role="programme_officer", username="prg.officer"),
    }


def register_batch(tab, base, screenshot, tmp_path):
    tab.goto(f"{base}/equipment/")
    submit(tab, "text=Register a handover batch")
    tab.fill("#reference", "HN-2026-001")
    tab.fill("#handed_over_on", (clock.now() - timedelta(days=60)).date().isoformat())
    note = tmp_path / "handover-note-signed.pdf"
    note.write_bytes(PDF)
    tab.set_input_files("#note", str(note))
    screenshot(tab, SHOTS, "1-batch-form")
    submit(tab, "button.primary:has-text('Register')")
    tab.wait_for_url(re.compile(r"/equipment/batches/\d+$"))
    for kind, number, team in (("radio", "SCC-R-001", "IMT-TER"), ("fibrescope", "SCC-F-001", "")):
        tab.select_option("#kind", kind)
        tab.fill("#make", "Motorola" if kind == "radio" else "Olympus")
        tab.fill("#serial", f"SN-{number}")
        tab.fill("#inventory_number", number)
        tab.fill("#value", "640")
        tab.select_option("#team", label=team or "No team")
        submit(tab, "button.primary:has-text('Add item')")
    screenshot(tab, SHOTS, "2-batch-with-items")
    submit(tab, "a:has-text('SCC-F-001')")
    tab.select_option("#assign-team, form[action$='/assign'] select[name=team]", label="IMT-TER")
    tab.fill("form[action$='/assign'] input[name=assigned_on]", (clock.now() - timedelta(days=30)).date().isoformat())
    submit(tab, "button:has-text('Save assignment')")
    assert "Assignment saved" in tab.inner_text(".flash-success")
    screenshot(tab, SHOTS, "3-item-assigned")


def tick_on_operation(tab, base, screenshot):
    tab.goto(f"{base}/operations/new")
    start = yesterday(hour=6)
    tab.fill("#title", "Heroin in a spare tyre, morning shift")
    tab.select_option("#op_type", "checkpoint_inspection")
    tab.fill("#started_at", local(start))
    tab.select_option("#place_code", "AYRITOM")
    row = "seizures-0-"
    tab.select_option(f"[name='{row}commodity']", "heroin")
    tab.fill(f"[name='{row}quantity']", "3.2")
    tab.select_option(f"[name='{row}unit']", "kg")
    tab.select_option(f"[name='{row}concealment']", "fuel_tank")
    tab.select_option(f"[name='{row}conveyance']", "truck")
    tab.select_option(f"[name='{row}detection']", "x_ray")
    for number in ("SCC-R-001", "SCC-F-001"):
        tab.check(f"label:has-text('{number}') >> xpath=preceding-sibling::input")
    screenshot(tab, SHOTS, "4-lead-ticks-equipment")
    submit(tab, "button.primary:has-text('Save draft')")
    tab.wait_for_url(re.compile(r"/operations/\d+$"))
    assert "SCC-R-001" in tab.inner_text("main") and "SCC-F-001" in tab.inner_text("main")
    screenshot(tab, SHOTS, "5-record-shows-equipment")
    return int(tab.url.rsplit("/", 1)[1])


def test_register_assign_tick_and_report(
    page, live_server, live_app, screenshot, cast, db, make_operation, make_team, tmp_path
):
    sign_in(page, live_server, cast["admin"], app=live_app)
    register_batch(page, live_server, screenshot, tmp_path)
    sign_out(page)
    sign_in(page, live_server, cast["lead"], app=live_app)
    op_id = tick_on_operation(page, live_server, screenshot)
    sign_out(page)
    # approval is the supervisor's (tested in the report journey); two earlier operations used the radio too
    db.execute(update(Operation).where(Operation.id == op_id).values(status="approved"))
    radio = db.exec(select(EquipmentItem).where(EquipmentItem.inventory_number == "SCC-R-001")).one()
    other_team = make_team("IMT-GAL", "IMT Galaba rail")  # the factory's references would collide with the lead's
    for days in (5, 9):
        earlier = make_operation(cast["scc"], other_team, started_at=clock.now() - timedelta(days=days))
        db.add(OperationEquipment(operation_id=earlier.id, item_id=radio.id))
    db.commit()
    sign_in(page, live_server, cast["officer"], app=live_app)
    submit(page, "nav >> text=Programme report")
    rows = {
        cells[0]: cells[1:]
        for cells in (
            [c.strip() for c in line.split("\t")] for line in page.locator("#utilisation tbody tr").all_inner_texts()
        )
    }
    screenshot(page, SHOTS, "6-programme-report")
    assert rows["Radio"] == ["1", "3"] and rows["Fibrescope"] == ["1", "<3"]
    assert page.js_errors == [], page.js_errors
