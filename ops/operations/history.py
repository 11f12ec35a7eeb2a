"""The record's history as a reader sees it: labels in their language, times in their zone.

Identities of persons leave the owning agency only when the record shares
them, and the history is no back door: without that right a change of a
person is shown as "details held by <agency>".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ops import vocab
from ops.models import Revision, User

ACTION_LABELS = {
    "create": _l("Created"),
    "edit": _l("Edited"),
    "amend": _l("Amended after approval"),
    "submit": _l("Submitted for review"),
    "return": _l("Returned to the team"),
    "approve": _l("Approved"),
    "visibility": _l("Visibility changed"),
    "handling": _l("Handling code or grading changed"),
    "attach": _l("Photo or document added"),
    "detach": _l("Photo or document removed"),
}
FIELD_LABELS = {
    "title": _l("Title"),
    "op_type": _l("Type"),
    "started_at": _l("Started"),
    "ended_at": _l("Ended"),
    "place_name": _l("Place"),
    "region": _l("Region"),
    "lat": _l("Latitude"),
    "lon": _l("Longitude"),
    "narrative": _l("What happened"),
    "visibility": _l("Visibility"),
    "share_persons": _l("Identities to all readers"),
    "persons_shares": _l("Partner agencies given identities"),
    "identity_grants": _l("Agencies given identities as exceptions"),
    "handling_code": _l("Handling code"),
    "handling_conditions": _l("Handling conditions"),
    "grading": _l("Grading"),
    "status": _l("Status"),
    "lead_team": _l("Lead team"),
    "participants": _l("Participating agencies"),
    "shares": _l("Shared with"),
    "equipment": _l("Equipment used"),
    "attachment": _l("Photo or document"),
    "seizure": _l("Seizure"),
    "person": _l("Person"),
    "vehicle": _l("Vehicle"),
}
# unambiguous in every language of the project (11/12 is not)
DATETIME_PATTERN = "yyyy-MM-dd HH:mm"
CODE_TABLES = {
    "op_type": vocab.OPERATION_TYPES,
    "visibility": vocab.VISIBILITIES,
    "status": vocab.STATUSES,
    "handling_code": vocab.HANDLING_CODES,
}


LONG_FIELDS = frozenset({"narrative", "handling_conditions"})


@dataclass
class Change:
    label: str
    old: str
    new: str
    long: bool = False  # narrative and the like: shown as blocks, not inline


@dataclass
class Entry:
    when: datetime
    who: str
    action: str
    action_code: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _when(text: str) -> str:
    try:
        return format_datetime(datetime.fromisoformat(text), DATETIME_PATTERN)
    except ValueError:
        return text


def _route(values: dict) -> str:
    countries = [
        values.get("origin_country"),
        *(values.get("transit_countries") or "").split(),
        values.get("destination_country"),
    ]
    return " → ".join(c or "?" for c in countries) if any(countries) else ""


def describe_seizure(v: dict) -> str:
    parts = [
        vocab.label(vocab.COMMODITY_LABELS, v.get("commodity")),
        f"{v.get('quantity')} {vocab.label(vocab.UNITS, v.get('unit'))}",
        vocab.label(vocab.CONCEALMENTS, v.get("concealment")),
        v.get("concealment_detail") or "",
        vocab.label(vocab.CONVEYANCES, v.get("conveyance")),
        vocab.label(vocab.DETECTION_METHODS, v.get("detection")),
        _route(v),
    ]
    return " · ".join(p for p in parts if p)


def describe_person(v: dict) -> str:
    born = v.get("birth_date")
    parts = [
        v.get("full_name") or "",
        _("born %(date)s", date=born) if born else "",
        v.get("nationality") or "",
        " ".join(
            p for p in (vocab.label(vocab.DOCUMENT_TYPES, v.get("document_type")), v.get("document_number") or "") if p
        ),
        v.get("phones") or "",
        vocab.label(vocab.PERSON_ROLES, v.get("role")),
        _("arrested") if v.get("arrested") else "",
    ]
    return " · ".join(p for p in parts if p)


def describe_vehicle(v: dict) -> str:
    parts = [
        v.get("plate") or "",
        v.get("country") or "",
        v.get("make_model") or "",
        vocab.label(vocab.VEHICLE_TYPES, v.get("vehicle_type")),
    ]
    return " · ".join(p for p in parts if p)


DESCRIBE = {"seizure": describe_seizure, "person": describe_person, "vehicle": describe_vehicle}


def show_value(name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    kind = name.split(":", 1)[0]
    if kind in DESCRIBE:
        return DESCRIBE[kind](value)
    if name in CODE_TABLES:
        return vocab.label(CODE_TABLES[name], value)
    if name in ("started_at", "ended_at"):
        return _when(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


SUBFIELD_LABELS = {
    "category": _l("category"),
    "commodity": _l("commodity"),
    "amount": _l("quantity"),
    "concealment": _l("concealment"),
    "concealment_detail": _l("concealment, in words"),
    "conveyance": _l("conveyance"),
    "detection": _l("detected by"),
    "origin_country": _l("country of origin"),
    "transit_countries": _l("transit countries"),
    "destination_country": _l("destination"),
    "full_name": _l("name"),
    "birth_date": _l("birth date"),
    "nationality": _l("nationality"),
    "document_type": _l("document"),
    "document_number": _l("document number"),
    "phones": _l("phone numbers"),
    "role": _l("role"),
    "arrested": _l("arrested"),
    "plate": _l("plate"),
    "country": _l("country"),
    "make_model": _l("make and model"),
    "vehicle_type": _l("type"),
    "seizure_id": _l("linked to seizure"),
}
SUBFIELD_TABLES = {
    "category": vocab.CATEGORIES,
    "commodity": vocab.COMMODITY_LABELS,
    "concealment": vocab.CONCEALMENTS,
    "conveyance": vocab.CONVEYANCES,
    "detection": vocab.DETECTION_METHODS,
    "document_type": vocab.DOCUMENT_TYPES,
    "role": vocab.PERSON_ROLES,
    "vehicle_type": vocab.VEHICLE_TYPES,
}
SHORT_NAME = {
    "seizure": lambda v: vocab.label(vocab.COMMODITY_LABELS, v.get("commodity")),
    "person": lambda v: v.get("full_name") or "",
    "vehicle": lambda v: v.get("plate") or "",
}


@dataclass
class Reader:
    """What the person reading the history may see, and how to name seizures for them."""

    persons_visible: bool
    holder: str  # the owning agency's name
    seizure_names: dict = field(default_factory=dict)  # seizure id -> "Seizure 2 (Heroin)"
    mask: Callable[[str], str] = str  # free text as the reader may see it (identities.shown)
    remarks_visible: bool = True  # review remarks (return and approval comments): the owning agency only


REVIEW_REMARKS = frozenset({"return", "approve", "submit"})


def _masked(change: Change, reader: Reader) -> Change:
    return Change(change.label, reader.mask(change.old), reader.mask(change.new), change.long)


def _reason(revision: Revision, reader: Reader) -> str:
    if revision.action in REVIEW_REMARKS and not reader.remarks_visible:
        return ""
    return reader.mask(revision.reason or "")


def _subvalues(values: dict) -> dict:
    values = dict(values)
    if "quantity" in values:  # a quantity means nothing without its unit
        values["amount"] = f"{values.pop('quantity')} {vocab.label(vocab.UNITS, values.pop('unit', None))}"
    return values


def _subvalue(name: str, value, reader: Reader) -> str:
    if value is None or value == "":
        return "—"
    if name == "seizure_id":
        return reader.seizure_names.get(value, _("a removed seizure"))
    if name in SUBFIELD_TABLES:
        return vocab.label(SUBFIELD_TABLES[name], value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _row_changes(name: str, old, new, reader: Reader) -> list[Change]:
    kind = name.split(":", 1)[0]
    label = str(FIELD_LABELS[kind])
    if kind == "person" and not reader.persons_visible:
        hidden = _("details held by %(agency)s", agency=reader.holder)
        return [Change(label, hidden if old else "—", hidden if new else "—")]
    if not old or not new:  # added or removed: the whole row, described
        return [Change(label, show_value(name, old), show_value(name, new))]
    before, after = _subvalues(old), _subvalues(new)
    title = f"{label} {SHORT_NAME[kind](old)}".strip()
    return [
        Change(
            f"{title}: {SUBFIELD_LABELS.get(key, key)}",
            _subvalue(key, before.get(key), reader),
            _subvalue(key, after.get(key), reader),
        )
        for key in [*before, *[k for k in after if k not in before]]
        if before.get(key) != after.get(key)
    ]


def explain(name: str, old, new, reader: Reader) -> list[Change]:
    """One stored change as lines a reader understands: a row's change is split into its fields."""
    kind = name.split(":", 1)[0]
    if kind in DESCRIBE:
        return _row_changes(name, old, new, reader)
    label = str(FIELD_LABELS.get(kind, name))
    return [Change(label, show_value(name, old), show_value(name, new), long=name in LONG_FIELDS)]


def present(rows: list[tuple[Revision, User | None]], reader: Reader) -> list[Entry]:
    entries = []
    for revision, user in rows:
        who = f"{user.full_name} ({user.username})" if user else _("system")
        changes = [
            _masked(line, reader)
            for raw in json.loads(revision.changes or "[]")
            for line in explain(raw["field"], raw["old"], raw["new"], reader)
        ]
        entries.append(
            Entry(
                when=revision.created_at,
                who=who,
                action=str(ACTION_LABELS.get(revision.action, revision.action)),
                action_code=revision.action,
                reason=_reason(revision, reader),
                changes=changes,
            )
        )
    return entries
