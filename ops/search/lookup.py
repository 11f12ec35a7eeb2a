"""Identifier lookup: a plate, document number or name typed in any format -> every visible record with it.

Plates and document numbers are compared in normalize.identifier form, names
in normalize.name form (also with the words reversed: "Akhmedov Botir").
Documents and names are searched only on records whose persons the reader
may see (policy.persons_clause): a withheld identity finds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import literal, or_, select, union_all

from ops import normalize, policy
from ops.models import Operation, Person, Vehicle

SHOWN = 200


@dataclass
class Lookup:
    typed: str
    identifier: str
    name: str
    total: int = 0
    hits: list[tuple[Operation, list[str]]] = field(default_factory=list)  # (record, what matched)


def _names(typed: str) -> list[str]:
    name = normalize.name(typed)
    words = name.split(" ")
    return list(dict.fromkeys([name, " ".join(reversed(words))])) if name else []


def lookup(db, user, typed: str) -> Lookup:
    identifier, names = normalize.identifier(typed), _names(typed)
    result = Lookup(typed, identifier, names[0] if names else "")
    if not identifier and not names:
        return result
    matches = union_all(
        select(Vehicle.operation_id.label("operation_id"), literal("plate").label("what")).where(
            Vehicle.plate_norm == identifier
        ),
        select(Person.operation_id, literal("document")).where(Person.document_norm == identifier),
        select(Person.operation_id, literal("person")).where(Person.name_norm.in_(names)),
    ).subquery()
    found = db.execute(
        select(matches.c.operation_id, matches.c.what)
        .join(Operation, Operation.id == matches.c.operation_id)
        .where(policy.visible_operations(user), or_(matches.c.what == "plate", policy.persons_clause(user)))
    ).all()
    reasons: dict[int, list[str]] = {}
    for operation_id, what in found:
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
