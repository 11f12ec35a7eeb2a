"""Correlations: the other records a reader may see that share a vehicle plate, a document number, a phone
number or a person.

Values are compared in their normal forms (normalize.identifier / name; phone numbers in E.164, through
the identifier index).
Persons are compared only where the reader may see persons on both sides:
this record's (persons_visible) and the other's (persons_clause), so a
withheld identity is never used to link records. A value found on more than
BUSY other records (a common name) is reported as a count, with a link to
the identifier lookup, instead of a flood of links.

Records whose identities retention removed (ops/retention.py) still correlate
when their keyed hashes were kept (OPS_RETENTION_KEEP_HASHES): this record's
normal forms are hashed with the same key and compared, under the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import String, distinct, func, literal, select, union_all
from sqlmodel import Session

from ops import phones, policy, retention
from ops.db import session as db_session
from ops.models import IdentifierKey, Operation, Person, PersonIdentityHash, Vehicle

BUSY = 25
HASHED = {"document": "document", "person": "name"}  # correlation kind -> kind of a kept hash


@dataclass
class Shared:
    kind: str  # "plate", "document", "phone" or "person"
    value: str  # as written on this record
    key: str  # normal form
    total: int  # other visible records sharing it
    operations: list[Operation] = field(default_factory=list)  # empty when busy

    @property
    def busy(self) -> bool:
        return self.total > BUSY


def _sources(db: Session, user, operation: Operation, parties=None) -> dict[str, dict[str, str]]:
    """{kind: {normal form: as written}} of this record's plates, documents, phone numbers and names.
    `parties`: (vehicles, persons or None) as the caller read them already, in the order of their ids."""
    found: dict[str, dict[str, str]] = {"plate": {}, "document": {}, "phone": {}, "person": {}}
    vehicles, persons = parties if parties is not None else (None, None)
    plates = (
        [(v.plate, v.plate_norm) for v in vehicles]
        if vehicles is not None
        else db.execute(select(Vehicle.plate, Vehicle.plate_norm).where(Vehicle.operation_id == operation.id))
    )
    for plate, norm in plates:
        if norm:
            found["plate"].setdefault(norm, plate)
    if persons is not None or policy.persons_visible(user, operation):
        for name, name_norm, number, number_norm, numbers in (
            [(p.full_name, p.name_norm, p.document_number, p.document_norm, p.phones) for p in persons]
            if persons is not None
            else db.execute(
                select(
                    Person.full_name, Person.name_norm, Person.document_number, Person.document_norm, Person.phones
                ).where(Person.operation_id == operation.id)
            )
        ):
            if name_norm and name != retention.MARKER:  # removed identities link nothing
                found["person"].setdefault(name_norm, name)
            if number_norm:
                found["document"].setdefault(number_norm, number)
            for phone in phones.stored(numbers):
                found["phone"].setdefault(phone, phone)
    return found


def _column(kind: str):
    return {
        "plate": Vehicle.plate_norm,
        "document": Person.document_norm,
        "phone": IdentifierKey.value,
        "person": Person.name_norm,
    }[kind]


def _others(user, operation: Operation, kind: str, keys):
    """FROM the party table JOIN the other operations the reader may see, sharing one of `keys`."""
    column = _column(kind)
    party = column.class_
    conditions = [column.in_(keys), party.operation_id != operation.id, policy.visible_operations(user)]
    if kind != "plate":
        conditions.append(policy.persons_clause(user))
    if kind == "phone":
        conditions.append(IdentifierKey.kind == "phone")
    return lambda *columns: select(*columns).join(Operation, Operation.id == party.operation_id).where(*conditions)


def correlations(user, operation: Operation, db: Session | None = None, parties=None) -> list[Shared]:
    """What this record shares with other records the reader may see; busiest values last.
    `parties`: the record's (vehicles, persons) when read already; persons None where the reader
    was not given them (they are then read here if the reader may see them)."""
    db = db or db_session()
    sources = {kind: values for kind, values in _sources(db, user, operation, parties).items() if values}
    totals = _totals(db, user, operation, sources)
    removed = _removed(db, user, operation, sources)
    shared = []
    for kind, values in sources.items():
        counted = totals[kind]
        small = [key for key, total in counted.items() if total <= BUSY]
        listed: dict[str, dict[int, Operation]] = {key: {} for key in small}
        if small:
            column = _column(kind)
            for key, other in db.execute(
                _others(user, operation, kind, small)(column, Operation).order_by(Operation.started_at.desc())
            ):
                listed[key].setdefault(other.id, other)
        for key, others in removed.get(kind, {}).items():
            new = {i: o for i, o in others.items() if i not in listed.get(key, {})}
            counted[key] = counted.get(key, 0) + len(new)
            if counted[key] <= BUSY:
                listed.setdefault(key, {}).update(new)
            else:
                listed.pop(key, None)
        shared.extend(
            Shared(kind, values[key], key, total, list(listed.get(key, {}).values())) for key, total in counted.items()
        )
    return sorted(shared, key=lambda item: (item.busy, -min(item.total, BUSY), item.kind, item.key))


def _totals(db: Session, user, operation: Operation, sources: dict[str, dict[str, str]]) -> dict[str, dict[str, int]]:
    """{kind: {normal form: other visible records sharing it}}, every kind counted in one statement (a round
    trip and a statement's overhead per kind were a sixth of the record page's time)."""
    totals: dict[str, dict[str, int]] = {kind: {} for kind in sources}
    parts = [
        _others(user, operation, kind, list(values))(
            literal(kind, String).label("kind"), _column(kind).label("key"), func.count(distinct(Operation.id))
        ).group_by(_column(kind))
        for kind, values in sources.items()
    ]
    if parts:
        for kind, key, total in db.execute(union_all(*parts) if len(parts) > 1 else parts[0]):
            totals[kind][key] = total
    return totals


def _removed(
    db: Session, user, operation: Operation, sources: dict[str, dict[str, str]]
) -> dict[str, dict[str, dict[int, Operation]]]:
    """{kind: {normal form: {id: record}}}: other visible records whose removed identities had one of this
    record's documents or names, found by their kept hashes. The hashes are looked up first on their own,
    a cheap statement: most registers hold none of them, and the records' visibility costs more to plan."""
    secret = current_app.config["SECRET_KEY"]
    by_hash = {
        retention.identifier_hash(secret, HASHED[kind], key): (kind, key)
        for kind in HASHED
        for key in sources.get(kind, ())
    }
    if not by_hash:
        return {}
    # no filter on the hash's kind is needed: the kind is part of what is hashed (retention.identifier_hash),
    # so a name's hash never equals a document's
    kept = list(
        db.execute(
            select(PersonIdentityHash.hash).where(PersonIdentityHash.hash.in_(list(by_hash))).distinct()
        ).scalars()
    )
    if not kept:
        return {}
    rows = db.execute(
        select(PersonIdentityHash.hash, Operation)
        .join(Person, Person.id == PersonIdentityHash.person_id)
        .join(Operation, Operation.id == Person.operation_id)
        .where(
            PersonIdentityHash.hash.in_(kept),
            Operation.id != operation.id,
            policy.visible_operations(user),
            policy.persons_clause(user),
        )
        .order_by(Operation.started_at.desc())
        .limit(BUSY * len(kept) + 1)
    )
    found: dict[str, dict[str, dict[int, Operation]]] = {}
    for digest, other in rows:
        kind, key = by_hash[digest]
        found.setdefault(kind, {}).setdefault(key, {}).setdefault(other.id, other)
    return found
