"""One generated seizure row: quantity, persons, place jitter and the narrative."""

from __future__ import annotations

from datetime import datetime, timedelta

from ops.generator import tables as t
from ops.generator import words as w
from ops.generator.phones import person_phones
from ops.vocab import COMMODITIES, commodity_code

PREPOSITIONS = ("among", "inside", "under", "behind", "sewn", "in ")
LAST_MOMENT = datetime(2026, 12, 31, 23, 59, 59)
CATEGORY = {name: COMMODITIES[commodity_code(name)].category for name in t.UNITS}


def _what(commodity: str, quantity: str, unit: str) -> str:
    if unit == "tablets" or unit == "plants":
        return (
            f"{quantity} {commodity}"
            if commodity.endswith(("tablets", "capsules", "plants"))
            else f"{quantity} {unit} of {commodity}"
        )
    if unit == "pieces":
        return f"{commodity} ({quantity} pcs)"
    if unit == "rounds":
        return f"{quantity} rounds of {commodity}"
    if unit.isupper():  # a currency
        return f"{commodity} ({unit} {quantity})"
    return f"{quantity} {unit} of {commodity}"


def _where(concealment: str) -> str:
    if concealment in w.WHERE:
        return w.WHERE[concealment]
    return concealment if concealment.startswith(PREPOSITIONS) else f"in the {concealment}"


def _narrative(gen, fields: dict, has_person: bool, has_plate: bool) -> str:
    rnd = gen.rnd
    count = gen.sentences.pick(rnd)
    sentences = [gen.choice(w.OPENING)]
    if count >= 2:
        sentences.append(gen.choice(w.PERSON) if has_person else gen.choice(w.NOBODY))
    if count >= 3:
        sentences.append(w.IMPOUNDED if has_plate and rnd() < 0.3 else gen.choice(w.FOLLOW_UP))
    for index in range(len(sentences)):
        if rnd() < 0.1:  # officers write some sentences in Russian
            sentences[index] = w.RUSSIAN_PERSON if has_person and rnd() < 0.3 else gen.choice(w.RUSSIAN)
    return " ".join(sentence.format_map(fields) for sentence in sentences)


def _advance(gen, operation, index: int) -> str:
    if index == 0:
        operation.clock = operation.start
    elif gen.rnd() < 0.85:
        operation.clock += timedelta(minutes=5 + int(gen.rnd() * 240))
    else:  # a controlled delivery or a follow-up search days later
        operation.clock += timedelta(hours=6 + int(gen.rnd() * 96))
    return min(operation.clock, LAST_MOMENT).isoformat(timespec="seconds")


def _person(gen, operation, index: int) -> tuple[str, str, str]:
    subject = operation.subject
    if index and gen.rnd() < 0.4:  # another person of a larger operation
        nationality = gen.nationalities[operation.profile].pick(gen.rnd)
        name, document = gen.person(nationality)
        return name, document, nationality
    return subject.name, subject.document, subject.nationality


def seizure_row(gen, operation, index: int, number: int) -> tuple:
    rnd = gen.rnd
    occurred = _advance(gen, operation, index)
    agency = operation.agency if rnd() < 0.7 else gen.agencies[operation.profile].pick(rnd)
    commodity = operation.first_commodity if index == 0 or rnd() < 0.55 else operation.commodities.pick(rnd)
    quantity, unit = gen.quantity(commodity, operation.conveyance)
    concealment = gen.choice(t.CONCEALMENT[operation.conveyance])
    name, document, nationality = _person(gen, operation, index)
    place = operation.place
    fields = {
        "team": operation.team,
        "carrier": w.CARRIER[operation.conveyance],
        "place": place.name,
        "what": _what(commodity, quantity, unit),
        "concealment": _where(concealment),
        "agency_short": w.AGENCY_SHORT[agency],
        "origin": operation.origin,
        "destination": operation.destination,
        "role": w.PERSON_ROLE[operation.conveyance],
        "person": name,
        "nationality": nationality,
        "nationality_ru": w.NATIONALITY_RU.get(nationality, nationality),
        "document": document,
        "plate": operation.plate,
    }
    narrative = _narrative(gen, fields, bool(name), bool(operation.plate))
    jitter = 0.02 if place.kind == "road" else 0.002
    lat = f"{place.lat + (rnd() - 0.5) * 2 * jitter:.5f}"
    lon = f"{place.lon + (rnd() - 0.5) * 2 * jitter:.5f}"
    visibility = operation.visibility if rnd() < 0.9 else gen.visibility.pick(rnd)
    category = CATEGORY[commodity]
    return (
        str(number),
        operation.ref,
        occurred,
        agency,
        operation.team,
        place.name,
        place.region,
        lat,
        lon,
        category,
        commodity,
        quantity,
        unit,
        operation.conveyance,
        concealment,
        operation.plate,
        name,
        document,
        nationality,
        operation.origin,
        operation.destination,
        narrative,
        visibility,
        person_phones(gen.seed, name, document, nationality),
    )
