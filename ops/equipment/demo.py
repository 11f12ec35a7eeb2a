"""The demo's register and its use: the generator's batches written through the register's services,
then the items ticked on approved operations that had them at hand. Idempotent: what exists is kept."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from ops import audit
from ops.db import session
from ops.equipment import services
from ops.generator import equipment as gen
from ops.models import Agency, Operation, OperationAgency, Team, User
from ops.models_equipment import Donor, EquipmentItem, HandoverBatch, OperationEquipment, Project
from ops.operations.attachments import CheckedFile

USE_SEED = 20260102


def note_for(batch: gen.BatchSpec) -> CheckedFile:
    """A small PDF standing in for the scanned, signed handover note."""
    data = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% handover note "
        + batch.reference.encode()
        + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return CheckedFile(f"{batch.reference}.pdf", "application/pdf", data, hashlib.sha256(data).hexdigest())


def load_register(echo) -> None:
    # no request to choose a language from: the first status line ("Handed over") in the default one
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        _load_register(echo)


def _load_register(echo) -> None:
    db = session()
    agencies = {a.code: a for a in db.execute(select(Agency)).scalars()}
    teams = {t.code: t.id for t in db.execute(select(Team)).scalars()}
    donors = _ensure_donors(db)
    projects = _ensure_projects(db, donors)
    created = 0
    for spec in gen.register():
        if (
            spec.agency not in agencies
            or db.execute(select(HandoverBatch.id).where(HandoverBatch.reference == spec.reference)).first()
        ):
            continue
        admin = (
            db.execute(select(User).where(User.agency_id == agencies[spec.agency].id, User.role == "admin"))
            .scalars()
            .first()
        )
        project = projects[spec.project]
        data = {
            "reference": spec.reference,
            "handed_over_on": spec.handed_over_on,
            "donor_id": project.donor_id,
            "project_id": project.id,
            "agency_id": agencies[spec.agency].id,
        }
        items = [
            services.ItemInput(
                i.kind, i.make, i.model, i.serial, i.inventory_number, i.value, "USD", teams.get(i.team), i.place
            )
            for i in spec.items
        ]
        batch = services.register_batch(admin, data, note_for(spec), items)
        _wear(db, admin, batch, spec)
        created += 1
    echo(f"equipment register: {created} handover batches registered")


def _wear(db, admin: User, batch: HandoverBatch, spec: gen.BatchSpec) -> None:
    """A register in use is not all "in service": a vehicle goes to the workshop, a radio is lost."""
    for kind, status, reason in gen.WEAR.get(spec.agency, ()):
        item = (
            db.execute(select(EquipmentItem).where(EquipmentItem.batch_id == batch.id, EquipmentItem.kind == kind))
            .scalars()
            .first()
        )
        if item is not None:
            services.change_status(admin, item, status, spec.handed_over_on + timedelta(days=200), reason)


def _ensure_donors(db) -> dict[str, Donor]:
    donors = {d.name: d for d in db.execute(select(Donor)).scalars()}
    for name in gen.DONORS:
        if name not in donors:
            donors[name] = Donor(name=name)
            db.add(donors[name])
    db.commit()
    return donors


def _ensure_projects(db, donors) -> dict[str, Project]:
    projects = {p.code: p for p in db.execute(select(Project)).scalars()}
    for code, name, donor, component, starts_on, ends_on in gen.PROJECTS:
        if code not in projects:
            projects[code] = Project(
                code=code,
                name=name,
                donor_id=donors[donor].id,
                component=component,
                starts_on=starts_on,
                ends_on=ends_on,
            )
            db.add(projects[code])
    db.commit()
    return projects


def load_use(echo) -> None:
    """Tick items on approved operations that had them at hand: the operation's team or crossing point,
    an agency taking part, handed over before the operation began."""
    db = session()
    items = db.execute(
        select(EquipmentItem.id, EquipmentItem.kind, EquipmentItem.agency_id, EquipmentItem.team_id,
               EquipmentItem.place_code, HandoverBatch.handed_over_on)
        .join(HandoverBatch, HandoverBatch.id == EquipmentItem.batch_id)
        .where(EquipmentItem.status == "in_service")
    ).all()  # fmt: skip
    done = set(db.execute(select(OperationEquipment.operation_id).distinct()).scalars())
    participants: dict[int, set[int]] = {}
    for op_id, agency_id in db.execute(select(OperationAgency.operation_id, OperationAgency.agency_id)):
        participants.setdefault(op_id, set()).add(agency_id)
    rows = db.execute(
        select(Operation.id, Operation.owner_team_id, Operation.place_code, Operation.started_at).where(
            Operation.status == "approved"
        )
    ).all()
    ticked = 0
    for op_id, team_id, place_code, started_at in rows:
        if op_id in done:
            continue
        began = (started_at if started_at.tzinfo else started_at.replace(tzinfo=UTC)).date()
        at_hand = [
            (i.id, i.kind)
            for i in items
            if (i.team_id == team_id or (place_code and i.place_code == place_code))
            and i.agency_id in participants.get(op_id, ())
            and i.handed_over_on <= began
        ]
        for item_id in gen.pick_used(random.Random(f"{USE_SEED}-{op_id}"), at_hand):
            db.add(OperationEquipment(operation_id=op_id, item_id=item_id))
            ticked += 1
    audit.record(db, "demo_equipment_use", object_type="equipment", detail={"items_ticked": ticked})
    db.commit()
    echo(f"equipment used: {ticked} items ticked on approved operations")
