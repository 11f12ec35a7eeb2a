"""Possible duplicates: another record's seizure that may be the same seizure, found at submit, approval and import.

Two seizures are candidates when all of these hold: the same commodity; the
kg-equivalent within 10 % (the same quantity and unit where there is no
kg-equivalent); within 48 hours; and the same crossing point, or within 25 km,
or a vehicle plate or a document number in common. The first three are asked of
the index on (commodity, size_bucket, occurred_at) — sizes within 10 % are at most
one bucket apart (models.size_bucket) — in one query per chunk of seizures, which
returns only the close pairs; the place test reads the few survivors' places,
plates and documents. Candidates are
written as SeizureLink rows with status `candidate` and the figures that matched.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import and_, func, literal, or_, select, true
from sqlalchemy.orm import aliased

from ops import vocab
from ops.models import Operation, Person, Seizure, SeizureLink, Vehicle

WINDOW = timedelta(hours=48)
KG_TOLERANCE = Decimal("0.10")
NEAR_KM = 25.0
CHUNK = 400  # seizures per candidate query


@dataclass(frozen=True)
class Facts:
    """What the test compares, of one seizure."""

    id: int
    operation_id: int
    agency_id: int
    commodity: str
    occurred_at: object
    kg: Decimal | None
    quantity: Decimal
    unit: str


def _facts(row) -> Facts:
    return Facts(*row)


FACT_COLUMNS = (
    Seizure.id,
    Seizure.operation_id,
    Seizure.owner_agency_id,
    Seizure.commodity,
    Seizure.occurred_at,
    Seizure.kg_equivalent,
    Seizure.quantity,
    Seizure.unit,
)


def kg_close(a: Decimal | None, b: Decimal | None) -> bool:
    """Within 10 % of the larger of the two."""
    if a is None or b is None:
        return False
    a, b = Decimal(str(a)), Decimal(str(b))
    return abs(a - b) <= KG_TOLERANCE * max(a, b)


def _figures_match(new: Facts, old: Facts) -> bool:
    if new.kg is not None and old.kg is not None:
        return kg_close(new.kg, old.kg)
    if new.kg is None and old.kg is None:
        return Decimal(str(new.quantity)) == Decimal(str(old.quantity)) and new.unit == old.unit
    return False


def _hours(new: Facts, old: Facts) -> float:
    return abs((new.occurred_at - old.occurred_at).total_seconds()) / 3600


def _shifted(db, column, hours: int):
    """`column` (a time) moved by `hours`, in SQL; SQLite compares its stored text, so the bound is text too
    (one second wider: the exact 48 hours are checked again in Python)."""
    if db.get_bind().dialect.name == "postgresql":
        return column + literal(timedelta(hours=hours, seconds=1 if hours > 0 else -1))
    return func.strftime("%Y-%m-%d %H:%M:%f", column, f"{hours:+d} hours", f"{1 if hours > 0 else -1:+d} seconds")


def _close(db, new, old) -> list:
    """The conditions on a pair (new, other): same commodity within 48 hours and 10 %, another record.
    `new`: the new seizure's columns (an alias of Seizure, or a subquery's columns)."""
    tolerance = Decimal(1) - KG_TOLERANCE
    return [
        old.commodity == new.commodity,
        old.size_bucket.in_([new.size_bucket - 1, new.size_bucket, new.size_bucket + 1]),
        old.occurred_at >= _shifted(db, new.occurred_at, -48),
        old.occurred_at <= _shifted(db, new.occurred_at, 48),
        old.operation_id != new.operation_id,
        or_(
            and_(
                new.kg_equivalent.is_not(None),
                old.kg_equivalent >= new.kg_equivalent * tolerance * Decimal("0.999"),
                old.kg_equivalent <= new.kg_equivalent / tolerance * Decimal("1.001"),
            ),
            and_(
                new.kg_equivalent.is_(None),
                old.kg_equivalent.is_(None),
                old.unit == new.unit,
                old.quantity == new.quantity,
            ),
        ),
    ]


def _close_pairs(db, ids: list[int]) -> list[tuple[int, int]]:
    """(new, other) ids of the same commodity within 48 hours and 10 %: for each new seizure, a range of the
    (commodity, size_bucket, occurred_at) index; only pairs come back, never the rows around them."""
    new, old = aliased(Seizure), aliased(Seizure)
    if db.get_bind().dialect.name == "postgresql":
        # A LATERAL subquery per new seizure, fenced by OFFSET 0 so that it is not pulled up into a plain join. As
        # a plain join, during an import (one transaction: the tables' statistics are those of before it) it was
        # planned as a hash join on the commodity over the whole table for every chunk: 225 ms a chunk at 40,000
        # seizures and growing with the table, so the import's time grew with the square of its size.
        others = select(old.id.label("id")).where(*_close(db, new, old)).offset(0).lateral("others")
        stmt = select(new.id, others.c.id).join(others, true())
    else:  # SQLite plans that nested loop by itself
        stmt = select(new.id, old.id).join(old, and_(*_close(db, new, old)))
    return [tuple(row) for row in db.execute(stmt.where(new.id.in_(ids)))]


def _nearby(db, chunk: list[int]) -> list[tuple[Facts, Facts]]:
    """Pairs (new, other) of the same commodity within 48 hours and 10 %, checked exactly on their facts."""
    close = _close_pairs(db, chunk)
    if not close:
        return []
    ids = {i for pair in close for i in pair}
    facts = {f.id: f for f in (_facts(row) for row in db.execute(select(*FACT_COLUMNS).where(Seizure.id.in_(ids))))}
    pairs = []
    for new_id, old_id in close:
        new, old = facts[new_id], facts[old_id]
        if _hours(new, old) <= 48 and _figures_match(new, old):
            pairs.append((new, old))
    return pairs


@dataclass
class Where:
    place_code: str | None
    place_name: str
    lat: float | None
    lon: float | None
    plates: set
    documents: set


def _places(db, operation_ids: set[int]) -> dict[int, Where]:
    found = {}
    for op_id, code, name, lat, lon in db.execute(
        select(Operation.id, Operation.place_code, Operation.place_name, Operation.lat, Operation.lon).where(
            Operation.id.in_(operation_ids)
        )
    ):
        known = vocab.PLACES_BY_CODE.get(code or "")
        if (lat is None or lon is None) and known is not None:
            lat, lon = known.lat, known.lon
        found[op_id] = Where(code, (name or "").strip().lower(), lat, lon, set(), set())
    for op_id, plate in db.execute(
        select(Vehicle.operation_id, Vehicle.plate_norm).where(Vehicle.operation_id.in_(operation_ids))
    ):
        if plate:
            found[op_id].plates.add(plate)
    for op_id, document in db.execute(
        select(Person.operation_id, Person.document_norm).where(
            Person.operation_id.in_(operation_ids), Person.document_norm.is_not(None)
        )
    ):
        if document:
            found[op_id].documents.add(document)
    return found


def distance_km(a: Where, b: Where) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def place_match(a: Where, b: Where) -> dict | None:
    """What ties the two places together, or None."""
    if a.place_code and a.place_code == b.place_code:
        return {"place": "same_crossing_point"}
    if a.place_name and a.place_name == b.place_name:
        return {"place": "same_place"}
    km = distance_km(a, b)
    if km is not None and km <= NEAR_KM:
        return {"place": "near", "km": round(km, 1)}
    if a.plates & b.plates:
        return {"place": "plate"}
    if a.documents & b.documents:
        return {"place": "document"}
    return None


def matched_figures(new: Facts, old: Facts, where: dict) -> dict:
    return {
        "commodity": new.commodity,
        "kg": [str(new.kg) if new.kg is not None else None, str(old.kg) if old.kg is not None else None],
        "quantity": [f"{new.quantity} {new.unit}", f"{old.quantity} {old.unit}"],
        "hours": round(_hours(new, old), 1),
        **where,
    }


def figures_now(db, seizure_id: int, other_id: int) -> dict:
    """The figures of a pair as they are now, for a link re-opened by an edit (the place: "none" where nothing
    ties the two places together any more)."""
    rows = db.execute(select(*FACT_COLUMNS).where(Seizure.id.in_([seizure_id, other_id]))).all()
    facts = {f.id: f for f in (_facts(row) for row in rows)}
    new, old = facts[seizure_id], facts[other_id]
    places = _places(db, {new.operation_id, old.operation_id})
    where = place_match(places[new.operation_id], places[old.operation_id]) or {"place": "none"}
    return {**matched_figures(new, old, where), "commodities": [new.commodity, old.commodity]}


def _candidates(db, seizure_ids: list[int]) -> list[tuple[Facts, Facts, dict]]:
    found = []
    ids = sorted(set(seizure_ids))
    for start in range(0, len(ids), CHUNK):
        pairs = _nearby(db, ids[start : start + CHUNK])
        if not pairs:
            continue
        places = _places(db, {f.operation_id for pair in pairs for f in pair})
        for new, old in pairs:
            where = place_match(places[new.operation_id], places[old.operation_id])
            if where is not None:
                found.append((new, old, matched_figures(new, old, where)))
    return found


def find_pairs(db, seizure_ids: list[int]) -> list[tuple[int, int, dict]]:
    """(seizure id, other seizure id, the figures that matched) for these seizures' possible duplicates."""
    return [(new.id, old.id, figures) for new, old, figures in _candidates(db, seizure_ids)]


def record(db, seizure_ids: list[int], found_at: str) -> list[SeizureLink]:
    """Write the candidates of these seizures that are not known yet (any status); the caller flushes them."""
    pairs: dict[tuple[int, int], tuple[Facts, Facts, dict]] = {}
    for new, old, figures in _candidates(db, seizure_ids):
        low, high = (new, old) if new.id < old.id else (old, new)
        pairs.setdefault((low.id, high.id), (low, high, figures))
    if not pairs:
        return []
    lows = sorted({low for low, _high in pairs})
    known = set()
    for start in range(0, len(lows), CHUNK):
        stmt = select(SeizureLink.seizure_id, SeizureLink.other_id).where(
            SeizureLink.seizure_id.in_(lows[start : start + CHUNK])
        )
        known.update(tuple(row) for row in db.execute(stmt))
    written = [
        SeizureLink(
            seizure_id=low.id,
            other_id=high.id,
            agency_id=low.agency_id,
            other_agency_id=high.agency_id,
            found_at=found_at,
            matched=json.dumps(figures, sort_keys=True, default=str),
        )
        for key, (low, high, figures) in sorted(pairs.items())
        if key not in known
    ]
    db.add_all(written)
    db.flush()
    return written


def for_operation(db, operation_id: int, found_at: str) -> list[SeizureLink]:
    """Candidates of one record's seizures (at submit and approval)."""
    ids = [row[0] for row in db.execute(select(Seizure.id).where(Seizure.operation_id == operation_id))]
    return record(db, ids, found_at) if ids else []


def open_links_of(db, seizure_ids) -> list[SeizureLink]:
    """The open candidates and proposals of these seizures."""
    ids = list(seizure_ids)
    if not ids:
        return []
    return list(
        db.execute(
            select(SeizureLink)
            .where(
                SeizureLink.status.in_(("candidate", "proposed")),
                or_(SeizureLink.seizure_id.in_(ids), SeizureLink.other_id.in_(ids)),
            )
            .order_by(SeizureLink.id)
        ).scalars()
    )
