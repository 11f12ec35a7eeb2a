"""The steps of a team lead's report in the browser, shared by the report journey and the full journey."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlmodel import select

from ops.models import Attachment, Operation, Person, Revision, Seizure, Vehicle
from tests.support.browser import submit
from tests.support.op_forms import local, yesterday

SHOTS = "reports"


def photo_file(tmp_path):
    """A small real JPEG, as a phone camera would hand over."""
    image = Image.new("RGB", (1024, 768), (92, 110, 128))
    draw = ImageDraw.Draw(image)
    draw.rectangle((300, 250, 720, 520), fill=(205, 180, 120))
    draw.text((320, 270), "EVIDENCE 1 / fuel tank", fill=(0, 0, 0))
    path = tmp_path / "IMG_2041.jpg"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


def fill_seizure(tab, index, commodity, quantity, unit, concealment, conveyance, detection, route=("", "", "")):
    row = f"seizures-{index}-"
    tab.select_option(f"[name='{row}commodity']", commodity)  # the script fills in the category
    tab.fill(f"[name='{row}quantity']", quantity)
    tab.select_option(f"[name='{row}unit']", unit)
    tab.select_option(f"[name='{row}concealment']", concealment)
    tab.select_option(f"[name='{row}conveyance']", conveyance)
    tab.select_option(f"[name='{row}detection']", detection)
    for name, value in zip(("origin_country", "transit_countries", "destination_country"), route, strict=False):
        tab.fill(f"[name='{row}{name}']", value)


def fill_person(tab, index, name, born, nationality, number, role, seizure, arrested=True):
    row = f"persons-{index}-"
    tab.fill(f"[name='{row}full_name']", name)
    tab.fill(f"[name='{row}birth_date']", born)
    tab.fill(f"[name='{row}nationality']", nationality)
    tab.select_option(f"[name='{row}document_type']", "passport")
    tab.fill(f"[name='{row}document_number']", number)
    tab.select_option(f"[name='{row}role']", role)
    tab.select_option(f"[name='{row}seizure_row']", seizure)
    if arrested:
        tab.check(f"[name='{row}arrested']")


def record_operation(tab, base, screenshot):
    submit(tab, "text=New operation")
    tab.wait_for_url(f"{base}/operations/new")
    start = yesterday(hour=22) - timedelta(days=1)  # a night shift over by now, whatever the hour (UTC)
    tab.fill("#title", "Heroin and tramadol in a Kamaz fuel tank, night shift")
    tab.select_option("#op_type", "checkpoint_inspection")
    tab.fill("#started_at", local(start))
    tab.fill("#ended_at", local(start + timedelta(hours=7)))
    tab.select_option("#place_code", "AYRITOM")
    assert tab.is_disabled("#place_name"), "a listed place makes the free place fields unnecessary"
    tab.check("label:has-text('State Security Service') >> xpath=preceding-sibling::input")
    tab.check("label:has-text('State Border Service') >> xpath=preceding-sibling::input")
    tab.fill(
        "#narrative",
        "X-ray of an inbound Kamaz showed a welded compartment in the fuel tank.\n"
        "K9 confirmed; the driver and a passenger were detained.",
    )
    fill_seizure(tab, 0, "heroin", "12,5", "kg", "fuel_tank", "truck", "x_ray", ("AF", "TJ, KZ", "RU"))
    assert tab.input_value("[name='seizures-0-category']") == "drugs"
    tab.click("[data-add-row=seizure]")
    fill_seizure(tab, 1, "tramadol", "12000", "tablets", "cab_compartment", "truck", "k9", ("IN", "", "UZ"))
    assert "1.2 kg equivalent" in tab.inner_text("[data-rows=seizure] .row:nth-child(2) [data-role=kg-eq]")
    tab.click("[data-add-row=seizure]")
    fill_seizure(tab, 2, "cash_usd", "25000", "USD", "clothing", "truck", "profiling")
    tab.select_option("[name='grading']", "B2")  # a risk-profiling detection is graded before submitting
    tab.click("[data-add-row=person]")
    fill_person(tab, 0, "Botir Akhmedov", "1980-01-02", "UZ", "FA 383-8205", "driver", "1")
    tab.click("[data-add-row=person]")
    fill_person(tab, 1, "Rustam Nazarov", "1991-06-30", "TJ", "A 0451127", "passenger", "3")
    tab.click("[data-add-row=vehicle]")
    tab.fill("[name='vehicles-0-plate']", "01 a 123 bc")
    tab.fill("[name='vehicles-0-country']", "UZ")
    tab.fill("[name='vehicles-0-make_model']", "Kamaz 5320")
    tab.select_option("[name='vehicles-0-vehicle_type']", "truck")
    tab.select_option("[name='vehicles-0-seizure_row']", "1")
    screenshot(tab, SHOTS, "01-lead-fills-the-form")
    submit(tab, "button.primary:has-text('Save draft')")
    tab.wait_for_url(re.compile(r"/operations/\d+$"))
    assert "saved" in tab.inner_text(".flash-success")
    screenshot(tab, SHOTS, "02-draft-saved")
    return int(tab.url.rsplit("/", 1)[1])


def check_stored(db, op_id):
    op = db.get(Operation, op_id)
    assert op.ref.startswith("IMT-TER-") and op.status == "draft"
    seizures = db.exec(select(Seizure).where(Seizure.operation_id == op_id).order_by(Seizure.id)).all()
    assert [(s.commodity, str(s.quantity), s.unit) for s in seizures] == [
        ("heroin", "12.500", "kg"),
        ("tramadol", "12000.000", "tablets"),
        ("cash_usd", "25000.000", "USD"),
    ]
    persons = db.exec(select(Person).where(Person.operation_id == op_id).order_by(Person.id)).all()
    assert [(p.document_norm, p.seizure_id) for p in persons] == [
        ("FA3838205", seizures[0].id),
        ("A0451127", seizures[2].id),
    ]
    vehicle = db.exec(select(Vehicle).where(Vehicle.operation_id == op_id)).one()
    assert (vehicle.plate_norm, vehicle.seizure_id) == ("01A123BC", seizures[0].id)
    return op


def attach_photo_and_submit(tab, db, op_id, tmp_path, screenshot):
    tab.set_input_files("#files", str(photo_file(tmp_path)))
    submit(tab, "button:has-text('Upload')")
    tab.wait_for_selector("#attachments img")
    attachment = db.exec(select(Attachment).where(Attachment.operation_id == op_id)).one()
    assert attachment.sha256 in tab.inner_text("#attachments")
    assert tab.evaluate("document.querySelector('#attachments img').naturalWidth") == 480
    screenshot(tab, SHOTS, "03-photo-attached")
    submit(tab, "button:has-text('Submit for review')")
    assert "submitted for review" in tab.inner_text(".flash-success")
    screenshot(tab, SHOTS, "04-submitted")


def supervisor_returns(tab, ref, screenshot):
    assert ref in tab.inner_text("section:has(h2:has-text('Waiting for my review'))")
    screenshot(tab, SHOTS, "05-supervisor-home")
    submit(tab, f"section:has(h2:has-text('Waiting for my review')) >> a:has-text('{ref}')")
    tab.fill("#comment", "Heroin weight is from the field scale: enter the lab weight.")
    submit(tab, "button:has-text('Return to the team')")
    assert "returned to the team" in tab.inner_text(".flash-success")
    screenshot(tab, SHOTS, "06-returned-by-supervisor")


def lead_fixes_and_resubmits(tab, ref, screenshot):
    returned = tab.inner_text("section:has(h2:has-text('Returned to my team'))")
    assert ref in returned and "lab weight" in returned
    screenshot(tab, SHOTS, "07-lead-home-returned")
    submit(tab, f"section:has(h2:has-text('Returned to my team')) >> a:has-text('{ref}')")
    submit(tab, "a.button:has-text('Edit')")
    assert "lab weight" in tab.inner_text(".flash-warning")
    tab.fill("[name='seizures-0-quantity']", "12.25")
    tab.eval_on_selector("[name='seizures-0-quantity']", "el => el.scrollIntoView({block: 'center'})")
    screenshot(tab, SHOTS, "08-lead-fixes", full_page=False)
    submit(tab, "button.primary:has-text('Save changes')")
    submit(tab, "button:has-text('Submit for review')")
    assert "submitted for review" in tab.inner_text(".flash-success")


def supervisor_approves(tab, base, db, op_id, screenshot):
    tab.goto(f"{base}/operations/{op_id}")
    submit(tab, "button:has-text('Approve')")
    assert "approved" in tab.inner_text(".flash-success")
    db.expire_all()
    assert db.get(Operation, op_id).status == "approved"
    history = tab.inner_text("#history")
    for step in (
        "Created",
        "Photo or document added",
        "Submitted for review",
        "Returned to the team",
        "Edited",
        "Approved",
    ):
        assert step in history, step
    assert "12.5 kg" in history and "12.25 kg" in history and "enter the lab weight" in history
    actions = db.exec(select(Revision.action).where(Revision.operation_id == op_id).order_by(Revision.id)).all()
    assert actions == ["create", "attach", "submit", "return", "edit", "submit", "approve"]
    screenshot(tab, SHOTS, "09-approved-with-history")


def phone_views(tab, base, op_id, screenshot):
    tab.goto(f"{base}/operations/{op_id}")
    screenshot(tab, SHOTS, "10-phone-record")
    tab.locator("#history").scroll_into_view_if_needed()
    screenshot(tab, SHOTS, "11-phone-history", full_page=False)
    tab.goto(f"{base}/operations/new")
    screenshot(tab, SHOTS, "12-phone-new-form", full_page=False)
