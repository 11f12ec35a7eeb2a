"""The non-nominal extract of a record: what a release may carry, as codes and figures, and its labels.

Only these fields leave: the date, the crossing point, and per seizure the commodity, quantity and
unit, kg-equivalent, concealment, conveyance and route countries; the plates only when the sender
ticks them. Never a person, the narrative, a title, a concealment detail or an attachment.
Labels are put in the language of whoever reads it (callers wrap in flask_babel.force_locale).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlmodel import Session

from ops import identities, normalize, vocab
from ops.models import Operation, Seizure, Vehicle

LABELS = {
    "date": _l("Date"),
    "place": _l("Crossing point"),
    "commodity": _l("Commodity"),
    "quantity": _l("Quantity"),
    "kg": _l("Kilogram equivalent"),
    "concealment": _l("Concealment"),
    "conveyance": _l("Conveyance"),
    "route": _l("Route countries"),
    "plates": _l("Plates"),
}


def build(db: Session, operation: Operation, include_plate: bool) -> dict:
    seizures = db.execute(select(Seizure).where(Seizure.operation_id == operation.id).order_by(Seizure.id)).scalars()
    plates = db.execute(select(Vehicle.plate).where(Vehicle.operation_id == operation.id).order_by(Vehicle.id))
    place_name = operation.place_name
    if not operation.place_code:  # a place typed by hand is free text: masked like any
        known = identities.of_operations(db, [operation.id])[operation.id]
        place_name = normalize.mask_identities(place_name, known)
    return {
        "date": operation.started_at.date().isoformat(),
        "place_code": operation.place_code or "",
        "place_name": place_name,
        "seizures": [_seizure(s) for s in seizures],
        "plates": [row[0] for row in plates] if include_plate else [],
    }


def _seizure(seizure: Seizure) -> dict:
    route = [seizure.origin_country, *seizure.transit_countries.split(), seizure.destination_country]
    return {
        "commodity": seizure.commodity,
        "quantity": str(seizure.quantity),
        "unit": seizure.unit,
        "kg": str(seizure.kg_equivalent) if seizure.kg_equivalent is not None else "",
        "concealment": seizure.concealment,
        "conveyance": seizure.conveyance,
        "route": [code for code in route if code],
    }


def rows(extract: dict) -> list[tuple[str, str]]:
    """(label, value) pairs in the current locale: the header, then one group per seizure."""
    found = [
        (str(LABELS["date"]), extract.get("date", "")),
        (str(LABELS["place"]), vocab.place_label(extract.get("place_code"), extract.get("place_name", ""))),
    ]
    for item in extract.get("seizures", []):
        found.extend(_seizure_rows(item))
    if extract.get("plates"):
        found.append((str(LABELS["plates"]), ", ".join(extract["plates"])))
    return found


def _seizure_rows(item: dict) -> list[tuple[str, str]]:
    quantity = f"{_number(item['quantity'])} {vocab.label(vocab.UNITS, item['unit'])}"
    found = [(str(LABELS["commodity"]), vocab.commodity_label(item["commodity"])), (str(LABELS["quantity"]), quantity)]
    if item.get("kg"):
        found.append((str(LABELS["kg"]), _("%(kg)s kg", kg=_number(item["kg"]))))
    found.append((str(LABELS["concealment"]), vocab.label(vocab.CONCEALMENTS, item["concealment"])))
    found.append((str(LABELS["conveyance"]), vocab.label(vocab.CONVEYANCES, item["conveyance"])))
    if item.get("route"):
        found.append((str(LABELS["route"]), " → ".join(vocab.country_name(c) for c in item["route"])))
    return found


def one_line(extract: dict) -> str:
    return "; ".join(f"{label}: {value}" for label, value in rows(extract))


def _number(text: str) -> str:
    """ "1.500" as 1.5: figures as people write them."""
    return text.rstrip("0").rstrip(".") if "." in text else text
