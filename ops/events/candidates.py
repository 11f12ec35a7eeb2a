"""Possible duplicates: another record's seizure that may be the same seizure, found at submit, approval and import.

Two seizures are candidates when all of these hold: the same commodity; the
kg-equivalent within 10 % (the same quantity and unit where there is no
kg-equivalent); within 48 hours; and the same crossing point, or within 25 km,
or a vehicle plate or a document number in common. The first three are asked of
the index on (commodity, occurred_at) in one query per chunk of seizures; the
place test reads the few survivors' places, plates and documents. Candidates are
written as SeizureLink rows with status `candidate` and the figures that matched.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import and_, or_, select

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


def _windows(chunk: list[Facts]) -> list[tuple]:
    """The chunk's 48-hour windows merged into disjoint intervals: only rows inside them are read."""
    merged: list[list] = []
    for fact in sorted(chunk, key=lambda f: f.occurred_at):
        low, high = fact.occurred_at - WINDOW, fact.occurred_at + WINDOW
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [tuple(interval) for interval in merged]


def _nearby(db, chunk: list[Facts]) -> list[tuple[Facts, Facts]]:
    """Pairs (new, other) of the same commodity within 48 hours and 10 %, from the (commodity, time) index."""
    commodities = sorted({f.commodity for f in chunk})
    windows = [and_(Seizure.occurred_at >= low, Seizure.occurred_at <= high) for low, high in _windows(chunk)]
    others = [
        _facts(row)
        for row in db.execute(select(*FACT_COLUMNS).where(Seizure.commodity.in_(commodities), or_(*windows)))
    ]
    by_commodity: dict[str, list[Facts]] = {}
    for other in sorted(others, key=lambda f: f.occurred_at):
        by_commodity.setdefault(other.commodity, []).append(other)
    times = {commodity: [f.occurred_at for f in rows] for commodity, rows in by_commodity.items()}
    pairs = []
    for new in chunk:
        rows = by_commodity.get(new.commodity, [])
        start = bisect.bisect_left(times.get(new.commodity, []), new.occurred_at - WINDOW)
        for old in rows[start:]:
            if old.occurred_at > new.occurred_at + WINDOW:
                break
            if old.operation_id != new.operation_id and _figures_match(new, old):
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


def find_pairs(db, seizure_ids: list[int]) -> list[tuple[int, int, dict]]:
    """(seizure id, other seizure id, the figures that matched) for these seizures' possible duplicates."""
    found = []
    ids = sorted(set(seizure_ids))
    facts = []
    for start in range(0, len(ids), CHUNK):
        chunk = select(*FACT_COLUMNS).where(Seizure.id.in_(ids[start : start + CHUNK]))
        facts += [_facts(row) for row in db.execute(chunk)]
    facts.sort(key=lambda f: f.occurred_at)
    for start in range(0, len(facts), CHUNK):
        pairs = _nearby(db, facts[start : start + CHUNK])
        if not pairs:
            continue
        places = _places(db, {f.operation_id for pair in pairs for f in pair})
        for new, old in pairs:
            where = place_match(places[new.operation_id], places[old.operation_id])
            if where is not None:
                found.append((new.id, old.id, matched_figures(new, old, where)))
    return found


def record(db, seizure_ids: list[int], found_at: str) -> list[SeizureLink]:
    """Write the candidates of these seizures that are not known yet (any status); the caller commits."""
    written, seen = [], set()
    for new_id, old_id, figures in find_pairs(db, seizure_ids):
        low, high = sorted((new_id, old_id))
        if (low, high) in seen:
            continue
        seen.add((low, high))
        known = db.execute(
            select(SeizureLink.id).where(and_(SeizureLink.seizure_id == low, SeizureLink.other_id == high))
        ).first()
        if known:
            continue
        owners = select(Seizure.id, Seizure.owner_agency_id).where(Seizure.id.in_([low, high]))
        agencies = dict(db.execute(owners).all())
        link = SeizureLink(
            seizure_id=low,
            other_id=high,
            agency_id=agencies[low],
            other_agency_id=agencies[high],
            found_at=found_at,
            matched=json.dumps(figures, sort_keys=True, default=str),
        )
        db.add(link)
        written.append(link)
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
