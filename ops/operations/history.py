"""The record's history as a reader sees it: labels in their language, times in their zone.

Identities of persons leave the owning agency only when the record shares
them, and the history is no back door: without that right a change of a
person is shown as "details held by <agency>".
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ops import vocab
from ops.models import Revision, User

ACTION_LABELS = {
    "create": _l("Created"), "edit": _l("Edited"), "amend": _l("Amended after approval"),
    "submit": _l("Submitted for review"), "return": _l("Returned to the team"), "approve": _l("Approved"),
    "visibility": _l("Visibility changed"), "attach": _l("Photo or document added"),
    "detach": _l("Photo or document removed"),
}
FIELD_LABELS = {
    "title": _l("Title"), "op_type": _l("Type"), "started_at": _l("Started"), "ended_at": _l("Ended"),
    "place_name": _l("Place"), "region": _l("Region"), "lat": _l("Latitude"), "lon": _l("Longitude"),
    "narrative": _l("What happened"), "visibility": _l("Visibility"), "share_persons": _l("Identities shared"),
    "status": _l("Status"), "lead_team": _l("Lead team"), "participants": _l("Participating agencies"),
    "shares": _l("Shared with"), "attachment": _l("Photo or document"),
    "seizure": _l("Seizure"), "person": _l("Person"), "vehicle": _l("Vehicle"),
}
# unambiguous in every language of the project (11/12 is not)
DATETIME_PATTERN = "yyyy-MM-dd HH:mm"
CODE_TABLES = {"op_type": vocab.OPERATION_TYPES, "visibility": vocab.VISIBILITIES, "status": vocab.STATUSES}


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
    countries = [values.get("origin_country"), *(values.get("transit_countries") or "").split(),
                 values.get("destination_country")]
    return " → ".join(c or "?" for c in countries) if any(countries) else ""


def describe_seizure(v: dict) -> str:
    parts = [vocab.label(vocab.COMMODITY_LABELS, v.get("commodity")),
             f"{v.get('quantity')} {vocab.label(vocab.UNITS, v.get('unit'))}",
             vocab.label(vocab.CONCEALMENTS, v.get("concealment")), v.get("concealment_detail") or "",
             vocab.label(vocab.CONVEYANCES, v.get("conveyance")),
             vocab.label(vocab.DETECTION_METHODS, v.get("detection")), _route(v)]
    return " · ".join(p for p in parts if p)


def describe_person(v: dict) -> str:
    born = v.get("birth_date")
    parts = [v.get("full_name") or "", _("born %(date)s", date=born) if born else "",
             v.get("nationality") or "",
             " ".join(p for p in (vocab.label(vocab.DOCUMENT_TYPES, v.get("document_type")),
                                  v.get("document_number") or "") if p),
             vocab.label(vocab.PERSON_ROLES, v.get("role")), _("arrested") if v.get("arrested") else ""]
    return " · ".join(p for p in parts if p)


def describe_vehicle(v: dict) -> str:
    parts = [v.get("plate") or "", v.get("country") or "", v.get("make_model") or "",
             vocab.label(vocab.VEHICLE_TYPES, v.get("vehicle_type"))]
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


def _change(raw: dict, persons_visible: bool, holder: str) -> Change:
    name = raw["field"]
    kind = name.split(":", 1)[0]
    label = str(FIELD_LABELS.get(kind, name))
    if kind == "person" and not persons_visible:
        hidden = _("details held by %(agency)s", agency=holder)
        return Change(label, hidden if raw["old"] else "—", hidden if raw["new"] else "—")
    return Change(label, show_value(name, raw["old"]), show_value(name, raw["new"]), long=name == "narrative")


def present(rows: list[tuple[Revision, User | None]], persons_visible: bool, holder: str) -> list[Entry]:
    entries = []
    for revision, user in rows:
        who = f"{user.full_name} ({user.username})" if user else _("system")
        entries.append(Entry(
            when=revision.created_at, who=who, action=str(ACTION_LABELS.get(revision.action, revision.action)),
            action_code=revision.action, reason=revision.reason,
            changes=[_change(raw, persons_visible, holder) for raw in json.loads(revision.changes or "[]")]))
    return entries
