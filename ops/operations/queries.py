"""Reads for the operation pages. Lists are filtered in SQL by policy.visible_operations."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import literal, true, union_all
from sqlmodel import select

from ops import identities, policy, used_equipment
from ops.db import session
from ops.models import (
    Agency,
    Attachment,
    Operation,
    OperationAgency,
    OperationIdentityGrant,
    OperationShare,
    Person,
    Seizure,
    Team,
    User,
    Vehicle,
)
from ops.operations.children import children
from ops.operations.revisions import plain
from ops.operations.schemas import CONTENT_FIELDS, PERSON_FIELDS, SEIZURE_FIELDS, VEHICLE_FIELDS


@dataclass(frozen=True)
class _LinkedAgencies:
    participants: list[Agency]
    shares: list[Agency]
    identities: list[Agency]  # named to get the identities: ticked partners, or an agency/all record's exceptions
    # the visibility form's ticks: partners ticked for the identities, then the exceptions (both kept, whatever
    # the visibility, so that switching it back restores them)
    identity_ticks: list[int]


def _linked_agencies(db, operation: Operation) -> _LinkedAgencies:
    """The agencies taking part, shared with, and given the identities, by name, in one statement (the record
    page is read often: three statements were a tenth of its round trips)."""
    links = union_all(
        _links("part", OperationAgency, operation.id, true()),
        _links("share", OperationShare, operation.id, OperationShare.persons),
        _links("grant", OperationIdentityGrant, operation.id, true()),
    ).subquery()
    found: dict[str, list[Agency]] = {"part": [], "share": [], "grant": [], "identities": []}
    rows = db.execute(
        select(links.c.link, links.c.persons, Agency).join(Agency, Agency.id == links.c.agency_id).order_by(Agency.name)
    )
    for link, persons, agency in rows:
        found[link].append(agency)
        if link == "share" and persons:
            found["identities"].append(agency)
    identities = found["identities"] if operation.visibility == "partners" else found["grant"]
    ticks = sorted(agency.id for agency in found["identities"]) + sorted(agency.id for agency in found["grant"])
    return _LinkedAgencies(found["part"], found["share"], identities, ticks)


def _links(link: str, model, operation_id: int, persons):
    return select(literal(link).label("link"), model.agency_id.label("agency_id"), persons.label("persons")).where(
        model.operation_id == operation_id
    )


@dataclass
class Record:
    """What the record page shows, read once."""

    operation: Operation
    owner_agency: Agency
    owner_team: Team
    lead_team: Team | None
    participants: list[Agency]
    shares: list[Agency]
    seizures: list[Seizure]
    vehicles: list[Vehicle]
    persons: list[Person] = field(default_factory=list)
    person_count: int = 0
    persons_visible: bool = False
    created_by: User | None = None
    identity_agencies: list[Agency] = field(default_factory=list)
    identity_ticks: list[int] = field(default_factory=list)  # _LinkedAgencies.identity_ticks
    attachments: list[Attachment] = field(default_factory=list)
    equipment: list = field(default_factory=list)

    def seizure_number(self, seizure_id: int | None) -> int | None:
        for number, seizure in enumerate(self.seizures, start=1):
            if seizure.id == seizure_id:
                return number
        return None


def record(
    operation: Operation, viewer: User, as_partners: bool = False, attachments: list[Attachment] | None = None
) -> Record:
    """The record page's data; `as_partners`: as a reader of another agency without identities sees it;
    `attachments`: the record's files when the caller has read them already (not read twice)."""
    db = session()
    visible = policy.persons_visible(viewer, operation) and not as_partners
    persons = children(db, Person, operation.id) if visible else []
    # hidden persons are counted from their identities, which masking the record's texts reads anyway
    count = len(persons) if visible else len(identities.of_operation(operation.id).names)
    linked = _linked_agencies(db, operation)
    return Record(
        operation=operation,
        owner_agency=db.get(Agency, operation.owner_agency_id),
        owner_team=db.get(Team, operation.owner_team_id),
        lead_team=db.get(Team, operation.lead_team_id) if operation.lead_team_id else None,
        participants=linked.participants,
        shares=linked.shares,
        seizures=children(db, Seizure, operation.id),
        vehicles=children(db, Vehicle, operation.id),
        persons=persons,
        person_count=count,
        persons_visible=visible,
        created_by=db.get(User, operation.created_by_id) if operation.created_by_id else None,
        identity_agencies=linked.identities,
        identity_ticks=linked.identity_ticks,
        attachments=children(db, Attachment, operation.id) if attachments is None else attachments,
        equipment=used_equipment.items_of(db, [operation.id])[operation.id],
    )


def _row(child, names, row_of: dict[int, int]) -> dict:
    data = {name: plain(getattr(child, name)) for name in names}
    data["key"] = str(child.id)
    if hasattr(child, "seizure_id"):
        data["seizure_row"] = str(row_of[child.seizure_id]) if child.seizure_id in row_of else ""
    return {key: ("" if value is None else value) for key, value in data.items()}


def form_data(operation: Operation, persons_editable: bool) -> dict:
    """The stored record as the edit form's initial data."""
    db = session()
    seizures = children(db, Seizure, operation.id)
    row_of = {seizure.id: number for number, seizure in enumerate(seizures, start=1)}
    data = {name: getattr(operation, name) for name in CONTENT_FIELDS}
    if operation.place_code:  # the place comes from the list; the free-text fields stay empty
        data.update(place_name="", region="", lat="", lon="")
    else:
        data.update(
            lat="" if operation.lat is None else str(operation.lat),
            lon="" if operation.lon is None else str(operation.lon),
        )
    data["participants"] = sorted(
        db.exec(select(OperationAgency.agency_id).where(OperationAgency.operation_id == operation.id)).all()
    )
    data["equipment"] = used_equipment.linked_ids(db, operation.id)
    data["seizures"] = [_row(s, SEIZURE_FIELDS, row_of) for s in seizures]
    for row in data["seizures"]:
        row["transit_countries"] = ", ".join(row["transit_countries"].split())
    persons = children(db, Person, operation.id) if persons_editable else []
    data["persons"] = [_row(p, PERSON_FIELDS, row_of) for p in persons]
    for row, person in zip(data["persons"], persons, strict=False):
        row["birth_date"] = person.birth_date
    data["vehicles"] = [_row(v, VEHICLE_FIELDS, row_of) for v in children(db, Vehicle, operation.id)]
    return data
