"""Identifier lookup: a plate, document number, phone number or name typed in any format -> every visible
record with it.

Phone numbers are compared in E.164 (ops.phones) through the identifier index.
Plates and document numbers are compared in normalize.identifier form (only
what has a digit can be one). Names are matched by the names module: every
part typed must be a part of the person's name, in any order and either
alphabet ("rahimov", "Jasur Rahimov" and "Рахимов" find "Rahimov Jasur
Akmalovich"). SQL narrows the persons to those whose name contains a spelling
of each part typed; names.matches then keeps the exact part matches.
Documents and names are searched only on records whose persons the reader
may see (policy.persons_clause): a withheld identity finds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, literal, or_, select, union_all

from ops import names, normalize, phones, policy
from ops.models import IdentifierKey, Operation, Person, Vehicle

SHOWN = 200


@dataclass
class Lookup:
    typed: str
    identifier: str
    name: str
    phone: str = ""
    total: int = 0
    hits: list[tuple[Operation, list[str]]] = field(default_factory=list)  # (record, what matched)


def _name_candidates(typed: str):
    """Persons whose stored name (upper case) contains some spelling of every part typed (names have no digits)."""
    parts = names.parts(typed)
    if not parts or any(c.isdigit() for c in typed):
        return None
    each_part = [
        or_(*[Person.name_norm.contains(spelling.upper(), autoescape=True) for spelling in sorted(names.spellings(p))])
        for p in parts
    ]
    return and_(*each_part)


def _identifier(typed: str) -> str:
    identifier = normalize.identifier(typed)
    return identifier if any(c.isdigit() for c in identifier) else ""


def _matched(operation_id, what: str, name=None):
    """One arm of the union: (operation id, what matched, the person's name for names.matches)."""
    name = literal("") if name is None else name
    return select(operation_id.label("operation_id"), literal(what).label("what"), name.label("name"))


def lookup(db, user, typed: str) -> Lookup:
    identifier, candidates, phone = _identifier(typed), _name_candidates(typed), phones.as_lookup(typed)
    result = Lookup(typed, identifier, " ".join(names.parts(typed)), phone)
    if not identifier and candidates is None and not phone:
        return result
    queries = []
    if phone:
        queries.append(
            _matched(IdentifierKey.operation_id, "phone").where(
                IdentifierKey.kind == "phone", IdentifierKey.value == phone
            )
        )
    if identifier:
        queries.append(_matched(Vehicle.operation_id, "plate").where(Vehicle.plate_norm == identifier))
        queries.append(_matched(Person.operation_id, "document").where(Person.document_norm == identifier))
    if candidates is not None:
        queries.append(_matched(Person.operation_id, "person", Person.full_name).where(candidates))
    matches = union_all(*queries).subquery()
    found = db.execute(
        select(matches.c.operation_id, matches.c.what, matches.c.name)
        .join(Operation, Operation.id == matches.c.operation_id)
        .where(policy.visible_operations(user), or_(matches.c.what == "plate", policy.persons_clause(user)))
    ).all()
    reasons: dict[int, list[str]] = {}
    for operation_id, what, full_name in found:
        if what == "person" and not names.matches(typed, full_name):
            continue  # a spelling inside a longer word ("Karimova" for "Karimov"), or parts of other names
        reasons.setdefault(operation_id, [])
        if what not in reasons[operation_id]:
            reasons[operation_id].append(what)
    result.total = len(reasons)
    if reasons:
        shown = db.execute(
            select(Operation)
            .where(Operation.id.in_(list(reasons)))
            .order_by(Operation.started_at.desc(), Operation.id.desc())
            .limit(SHOWN)
        ).scalars()
        result.hits = [(operation, reasons[operation.id]) for operation in shown]
    return result
