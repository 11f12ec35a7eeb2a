"""Arranging the equipment register directly in the database, for the tests of what uses it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ops.models_equipment import Donor, EquipmentItem, HandoverBatch, Project

NOTE_SHA = "0" * 64


def make_programme(db, code: str = "BOMCA-10", donor_name: str = "European Union"):
    donor = Donor(name=donor_name)
    db.add(donor)
    db.flush()
    project = Project(
        code=code,
        name="Border management",
        donor_id=donor.id,
        component="Mobile teams",
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    db.add(project)
    db.commit()
    return donor, project


def make_batch(db, project, agency, reference: str, on: date = date(2025, 2, 1)) -> HandoverBatch:
    batch = HandoverBatch(
        reference=reference,
        handed_over_on=on,
        donor_id=project.donor_id,
        project_id=project.id,
        agency_id=agency.id,
        note_filename="note.pdf",
        note_content_type="application/pdf",
        note_size=10,
        note_sha256=NOTE_SHA,
        note_storage_key=f"00/{NOTE_SHA}",
    )
    db.add(batch)
    db.commit()
    return batch


def make_item(db, batch, number: str, kind: str = "radio", status: str = "in_service", team=None) -> EquipmentItem:
    item = EquipmentItem(
        batch_id=batch.id,
        agency_id=batch.agency_id,
        kind=kind,
        make="Make",
        model="M1",
        serial=f"S-{number}",
        inventory_number=number,
        value=Decimal("100.00"),
        currency="USD",
        status=status,
        status_since=batch.handed_over_on,
        team_id=team.id if team else None,
    )
    db.add(item)
    db.commit()
    return item
