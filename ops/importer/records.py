"""Checked rows -> the values of our tables: one operation per operation_ref, its seizures, persons, vehicles.

Pure functions, no database: the loader decides ids and batches. Decisions
(README, "Import"): imported records are approved; an operation takes the most
restrictive visibility of its rows; the owning agency is the importing one; the
seizing agencies take part in the operation and a `partners` record is shared
with them; persons' identities stay with the owning agency (share_persons off).
An operation takes the strictest handling code of its rows (H2, then H3, H1, H0)
and the first grade given.
"""

from __future__ import annotations

from datetime import datetime

from ops import normalize, vocab
from ops.importer import mapping
from ops.importer.rows import Row
from ops.models import size_bucket

NARRATIVE_SEPARATOR = "\n\n"


def most_restrictive(visibilities) -> str:
    return min(visibilities, key=mapping.VISIBILITY_RANK.__getitem__)


HANDLING_STRICTNESS = {"H2": 0, "H3": 1, "H1": 2, "H0": 3}


def strictest(pairs) -> tuple[str, str]:
    """The strictest (handling code, conditions) of several; H3's conditions come with it."""
    return min(pairs, key=lambda pair: HANDLING_STRICTNESS.get(pair[0], 3))


def handling_values(rows: list[Row], stored=None) -> dict:
    pairs = [(row.handling_code, row.handling_conditions) for row in rows]
    if stored is not None:
        pairs.insert(0, (stored.handling_code, stored.handling_conditions))
    code, conditions = strictest(pairs)
    return {"handling_code": code, "handling_conditions": conditions}


def first_grading(rows: list[Row]) -> str:
    return next((row.grading for row in rows if row.grading), "")


def distinct_narratives(rows: list[Row]) -> list[str]:
    return list(dict.fromkeys(row.narrative for row in rows if row.narrative))


def title(rows: list[Row], place_name: str) -> str:
    """ "Heroin at Ayritom (Termez bridge)", or "Heroin and 2 more items at ..." for several commodities."""
    first = rows[0].commodity_text
    first = first[:1].upper() + first[1:]
    others = len({row.commodity for row in rows}) - 1
    what = f"{first} and {others} more item{'s' if others > 1 else ''}" if others else first
    return f"{what} at {place_name}"[:200]


def operation_values(op_id: int, key: str, rows: list[Row], owner, user_id: int | None, now: datetime) -> dict:
    first = rows[0]
    moments = [row.occurred_at for row in rows]
    started, ended = min(moments), max(moments)
    with_coordinates = next((row for row in rows if row.lat is not None), None)
    lat, lon = (
        (with_coordinates.lat, with_coordinates.lon)
        if with_coordinates
        else (first.place.lat, first.place.lon)
        if first.place
        else (None, None)
    )
    narratives = distinct_narratives(rows)
    return {
        "id": op_id,
        "ref": f"{owner.code}-{key}",
        "import_key": key,
        "title": title(rows, first.place_name),
        "op_type": mapping.operation_type(first.place, first.conveyance, " ".join(narratives)),
        "started_at": started,
        "ended_at": ended if ended > started else None,
        "place_code": first.place.code if first.place else None,
        "place_name": first.place_name,
        "region": first.region,
        "lat": lat,
        "lon": lon,
        "lead_team_id": first.team_id,
        "owner_team_id": first.team_id,
        "owner_agency_id": owner.id,
        "narrative": NARRATIVE_SEPARATOR.join(narratives),
        "visibility": most_restrictive(row.visibility for row in rows),
        "share_persons": False,
        **handling_values(rows),
        "grading": first_grading(rows),
        "status": "approved",
        "created_by_id": user_id,
        "return_comment": None,
        "submitted_at": now,
        "approved_at": now,
        "approved_by_id": user_id,
        "version": 1,
        "silent": False,
        "created_at": now,
        "updated_at": now,
        "legal_hold": False,  # retention's columns (migration 0013) with Python-side defaults
        "legal_hold_reason": "",
    }


def extended_operation(stored, rows: list[Row], now: datetime) -> dict:
    """New rows of an operation imported before: add their narratives, widen its time span, narrow
    (never widen) its visibility. The version goes up, so an editor holding the old one is refused."""
    narrative = stored.narrative
    for text in distinct_narratives(rows):
        if text not in narrative:
            narrative = f"{narrative}{NARRATIVE_SEPARATOR}{text}" if narrative else text
    moments = [row.occurred_at for row in rows]
    started = min([stored.started_at, *moments])
    ended = max([stored.ended_at or stored.started_at, *moments])
    return {
        "b_id": stored.id,
        "b_version": stored.version,
        "narrative": narrative,
        "started_at": started,
        "ended_at": ended if ended > started else None,
        "updated_at": now,
        "visibility": most_restrictive([stored.visibility, *(row.visibility for row in rows)]),
        **handling_values(rows, stored),
        "grading": stored.grading or first_grading(rows),
    }


def participants(rows: list[Row], owner_id: int) -> tuple[set[int], set[int]]:
    """(participating agencies, agencies to share with): the owner and every seizing agency take part;
    a `partners` record is shared with the participants other than the owner."""
    taking_part = {owner_id, *(row.agency_id for row in rows)}
    return taking_part, taking_part - {owner_id}


def seizure_values(seizure_id: int, op_id: int, owner_id: int, row: Row, now: datetime) -> dict:
    kg_equivalent = vocab.kg_equivalent(row.commodity, row.unit, row.quantity)
    return {
        "id": seizure_id,
        "operation_id": op_id,
        "owner_agency_id": owner_id,
        "occurred_at": row.occurred_at,
        "seizing_agency_id": row.agency_id,
        "category": row.category,
        "commodity": row.commodity,
        "quantity": row.quantity,
        "unit": row.unit,
        "kg_equivalent": kg_equivalent,
        "size_bucket": size_bucket(kg_equivalent, row.quantity),
        "concealment": row.concealment,
        "concealment_detail": row.concealment_detail,
        "conveyance": row.conveyance,
        "detection": mapping.detection_code(row.narrative),
        "origin_country": row.origin,
        "transit_countries": "",
        "destination_country": row.destination,
        "import_key": row.seizure_key,
        "created_at": now,
    }


def person_key(row: Row) -> tuple[str, str] | None:
    if not row.person_name:
        return None
    return normalize.name(row.person_name), normalize.identifier(row.person_document)


def person_values(op_id: int, seizure_id: int, row: Row, key: tuple[str, str]) -> dict:
    return {
        "operation_id": op_id,
        "seizure_id": seizure_id,
        "full_name": row.person_name,
        "name_norm": key[0],
        "name_spellings": normalize.spellings(row.person_name),
        "birth_date": None,
        "nationality": row.nationality,
        "document_type": None,
        "document_number": row.person_document or None,
        "document_norm": key[1] or None,
        "phones": row.person_phones,
        "role": mapping.PERSON_ROLE.get(row.conveyance, "other"),
        "arrested": False,
    }


def vehicle_key(row: Row) -> str | None:
    return normalize.identifier(row.plate) or None


def vehicle_values(op_id: int, seizure_id: int, row: Row, key: str) -> dict:
    return {
        "operation_id": op_id,
        "seizure_id": seizure_id,
        "plate": row.plate,
        "plate_norm": key,
        "country": mapping.vehicle_country(row.plate, row.conveyance, row.nationality),
        "make_model": "",
        "vehicle_type": mapping.vehicle_type(row.plate, row.conveyance),
    }
