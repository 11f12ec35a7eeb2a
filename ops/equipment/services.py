"""Writing the register: handover batches with their signed note, items, status changes, assignments.

Every function checks its input first and raises EquipmentError with a message
for the person who sent it; only then does it write, audit in the same
transaction and commit once. Bad input therefore leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import exists, select

from ops import audit, vocab
from ops.db import session
from ops.models import Team, TeamMember, User
from ops.models_equipment import (
    Donor,
    EquipmentAssignment,
    EquipmentItem,
    EquipmentStatusChange,
    HandoverBatch,
    Project,
)
from ops.operations.attachments import CheckedFile, UploadError, check_upload, store


class EquipmentError(ValueError):
    """Refused input; the message says why."""


# An item's limits, one for the register's form (forms.ItemForm) and the spreadsheet import (importing.py)
MAKE_MODEL_MAX = 80
NUMBER_MAX = 64  # serial and inventory numbers
VALUE_MAX = 10**11


@dataclass
class ItemInput:
    """An item's own fields, as the form and a spreadsheet row give them."""

    kind: str
    make: str
    model: str
    serial: str
    inventory_number: str
    value: Decimal | None
    currency: str
    team_id: int | None = None
    place_code: str | None = None


def check_note(storage, max_mb: int) -> CheckedFile:
    """The signed handover note: a PDF or a picture, proven by its content."""
    try:
        return check_upload(storage, max_mb)
    except UploadError as error:
        raise EquipmentError(
            _("The handover note must be a signed PDF or a picture of it: %(why)s", why=error)
        ) from None


def _audit(db, action: str, obj, agency_id: int, **detail) -> None:
    audit.record(
        db, action, object_type=type(obj).__name__.lower(), object_id=obj.id, object_agency_id=agency_id, detail=detail
    )


def add_donor(actor: User, name: str) -> Donor:
    db = session()
    name = name.strip()
    if not name or db.execute(select(Donor.id).where(Donor.name == name)).first():
        raise EquipmentError(_("A donor named %(name)s is already registered.", name=name))
    donor = Donor(name=name)
    db.add(donor)
    db.flush()
    _audit(db, "donor_add", donor, None, name=name)
    db.commit()
    return donor


def add_project(actor: User, code: str, name: str, donor_id: int, component: str, starts_on, ends_on) -> Project:
    db = session()
    if db.get(Donor, donor_id) is None:
        raise EquipmentError(_("Choose a donor."))
    if db.execute(select(Project.id).where(Project.code == code)).first():
        raise EquipmentError(_("A project with the code %(code)s is already registered.", code=code))
    if ends_on < starts_on:
        raise EquipmentError(_("A project cannot end before it starts."))
    project = Project(
        code=code, name=name, donor_id=donor_id, component=component, starts_on=starts_on, ends_on=ends_on
    )
    db.add(project)
    db.flush()
    _audit(db, "project_add", project, None, code=code)
    db.commit()
    return project


def register_batch(actor: User, data: dict, note: CheckedFile, items: list[ItemInput] = ()) -> HandoverBatch:
    """A handover batch, its note and (optionally) its items, all or nothing."""
    db = session()
    project = db.get(Project, data["project_id"])
    if project is None or project.donor_id != data["donor_id"]:
        raise EquipmentError(_("The project is not one of this donor's."))
    if db.execute(select(HandoverBatch.id).where(HandoverBatch.reference == data["reference"])).first():
        raise EquipmentError(
            _("A handover batch with the reference %(ref)s is already registered.", ref=data["reference"])
        )
    _check_items(db, data["agency_id"], items)
    key, _thumb = store(note)  # before the commit: a row never points at a missing file
    batch = HandoverBatch(
        reference=data["reference"],
        handed_over_on=data["handed_over_on"],
        donor_id=data["donor_id"],
        project_id=project.id,
        agency_id=data["agency_id"],
        note_filename=note.filename,
        note_content_type=note.content_type,
        note_size=len(note.data),
        note_sha256=note.sha256,
        note_storage_key=key,
        created_by_id=actor.id,
    )
    db.add(batch)
    db.flush()
    _audit(db, "handover_register", batch, batch.agency_id, reference=batch.reference, sha256=note.sha256)
    for item in items:
        _write_item(db, actor, batch, item)
    db.commit()
    return batch


def add_items(actor: User, batch: HandoverBatch, items: list[ItemInput]) -> list[EquipmentItem]:
    db = session()
    _check_items(db, batch.agency_id, items)
    written = [_write_item(db, actor, batch, item) for item in items]
    db.commit()
    return written


def _check_items(db, agency_id: int, items: list[ItemInput]) -> None:
    seen_serials, seen_numbers = set(), set()
    for item in items:
        if item.kind not in vocab.EQUIPMENT_KINDS:
            raise EquipmentError(_("Unknown kind of equipment: %(kind)s.", kind=item.kind))
        if item.currency not in vocab.CURRENCIES:
            raise EquipmentError(_("Unknown currency: %(currency)s.", currency=item.currency))
        if (item.kind, item.serial) in seen_serials or _serial_taken(db, item.kind, item.serial):
            raise EquipmentError(
                _(
                    "Another %(kind)s with the serial number %(serial)s is already registered.",
                    kind=vocab.label(vocab.EQUIPMENT_KINDS, item.kind),
                    serial=item.serial,
                )
            )
        if item.inventory_number in seen_numbers or _inventory_taken(db, item.inventory_number):
            raise EquipmentError(_("The inventory number %(number)s is already in use.", number=item.inventory_number))
        seen_serials.add((item.kind, item.serial))
        seen_numbers.add(item.inventory_number)
        check_place(db, agency_id, item.team_id, item.place_code)


def _serial_taken(db, kind: str, serial: str) -> bool:
    return (
        db.execute(select(EquipmentItem.id).where(EquipmentItem.kind == kind, EquipmentItem.serial == serial)).first()
        is not None
    )


def _inventory_taken(db, number: str) -> bool:
    return db.execute(select(EquipmentItem.id).where(EquipmentItem.inventory_number == number)).first() is not None


def agency_takes_part(db, agency_id: int, team_id: int) -> bool:
    """An agency takes part in a team when one of its officers is a member."""
    query = select(
        exists().where(TeamMember.team_id == team_id, TeamMember.user_id == User.id, User.agency_id == agency_id)
    )
    return bool(db.execute(query).scalar())


def check_place(db, agency_id: int, team_id: int | None, place_code: str | None) -> None:
    if team_id is not None and place_code:
        raise EquipmentError(_("Assign an item to a team or to a crossing point, not both."))
    if place_code and place_code not in vocab.PLACES_BY_CODE:
        raise EquipmentError(_("Unknown crossing point: %(code)s.", code=place_code))
    if team_id is None:
        return
    team = db.get(Team, team_id)
    if team is None:
        raise EquipmentError(_("Unknown team."))
    if not agency_takes_part(db, agency_id, team_id):
        raise EquipmentError(
            _("The item's agency takes no part in the team %(team)s: it cannot be assigned there.", team=team.code)
        )


def _write_item(db, actor: User, batch: HandoverBatch, data: ItemInput) -> EquipmentItem:
    item = write_item(db, batch, data, "in_service", _("Handed over"), actor.id)
    _audit(db, "equipment_add", item, item.agency_id, inventory_number=item.inventory_number, kind=item.kind)
    return item


def write_item(
    db, batch: HandoverBatch, data: ItemInput, status: str, reason: str, user_id: int | None
) -> EquipmentItem:
    """A checked item of the batch, its first status (since the handover) and its first assignment, if any.

    The form's items and the spreadsheet's rows are written here; each caller writes its own audit event."""
    on = batch.handed_over_on
    item = EquipmentItem(
        batch_id=batch.id,
        agency_id=batch.agency_id,
        kind=data.kind,
        make=data.make,
        model=data.model,
        serial=data.serial,
        inventory_number=data.inventory_number,
        value=data.value,
        currency=data.currency,
        status=status,
        status_since=on,
        team_id=data.team_id,
        place_code=data.place_code or None,
    )
    db.add(item)
    db.flush()
    db.add(EquipmentStatusChange(item_id=item.id, status=status, changed_on=on, reason=reason, user_id=user_id))
    if data.team_id or data.place_code:
        db.add(_assignment(item, on, user_id))
    return item


def _assignment(item: EquipmentItem, on: date, user_id: int | None) -> EquipmentAssignment:
    return EquipmentAssignment(
        item_id=item.id, team_id=item.team_id, place_code=item.place_code, assigned_on=on, user_id=user_id
    )


def change_status(actor: User, item: EquipmentItem, status: str, changed_on: date, reason: str) -> None:
    reason = (reason or "").strip()
    if status not in vocab.EQUIPMENT_STATUSES:
        raise EquipmentError(_("Unknown status: %(status)s.", status=status))
    if not reason:
        raise EquipmentError(_("Say why the status changes: a reason is required."))
    if status == item.status:
        raise EquipmentError(_("The item already has this status."))
    if changed_on < item.status_since:
        raise EquipmentError(_("A status change cannot be dated before the item's last one."))
    db = session()
    old = item.status
    item.status, item.status_since = status, changed_on
    db.add(item)
    db.add(
        EquipmentStatusChange(item_id=item.id, status=status, changed_on=changed_on, reason=reason, user_id=actor.id)
    )
    _audit(db, "equipment_status", item, item.agency_id, old=old, new=status, on=changed_on.isoformat())
    db.commit()


def assign(actor: User, item: EquipmentItem, team_id: int | None, place_code: str | None, on: date) -> None:
    db = session()
    check_place(db, item.agency_id, team_id, place_code)
    current = db.execute(
        select(EquipmentAssignment).where(
            EquipmentAssignment.item_id == item.id, EquipmentAssignment.ended_on.is_(None)
        )
    ).scalar_one_or_none()
    if current is not None:
        if on < current.assigned_on:
            raise EquipmentError(_("An assignment cannot be dated before the current one."))
        current.ended_on = on
        db.add(current)
    item.team_id, item.place_code = team_id, place_code or None
    db.add(item)
    db.flush()
    if team_id or place_code:
        db.add(_assignment(item, on, actor.id))
    _audit(db, "equipment_assign", item, item.agency_id, team=team_id, place=place_code, on=on.isoformat())
    db.commit()
