"""The audit trail as an auditor reads it: action names, the object by its reference, details as labelled pairs.

The stored event stays as written (codes and JSON are what the hash chain covers); this
module only turns a page of events into words, in the reader's language. An action or a
detail key that has no label yet is shown as its code: never hidden.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import select

from ops import policy, vocab
from ops.db import session
from ops.models import Agency, Operation, Team, User, local_name_sql
from ops.models_places import Place

ACTION_LABELS = {
    "view": _l("Viewed a record"),
    "list": _l("Listed records"),
    "search": _l("Searched"),
    "export": _l("Exported"),
    "login": _l("Signed in"),
    "login_2fa": _l("Two-factor sign-in step"),
    "logout": _l("Signed out"),
    "reauth": _l("Confirmed the password again"),
    "reauth_code": _l("Confirmed the two-factor code again"),
    "password_change": _l("Changed the password"),
    "preferences": _l("Changed language or time zone"),
    "recovery_codes_new": _l("Made new recovery codes"),
    "session_end": _l("Ended a session"),
    "session_end_others": _l("Ended the other sessions"),
    "session_expired": _l("Session expired"),
    "two_factor_enrol": _l("Turned on two-factor sign-in"),
    "two_factor_disable": _l("Turned off two-factor sign-in"),
    "two_factor_reset": _l("Reset two-factor sign-in"),
    "user_create": _l("Created a user"),
    "user_update": _l("Changed a user"),
    "user_password_reset": _l("Reset a user's password"),
    "user_unlock": _l("Unlocked a user"),
    "agency_create": _l("Created an agency"),
    "team_create": _l("Created a team"),
    "agency_update": _l("Changed an agency"),
    "team_update": _l("Changed a team"),
    "place_create": _l("Added a place to the register"),
    "place_update": _l("Changed a place of the register"),
    "token_create": _l("Made an API token"),
    "token_revoke": _l("Revoked an API token"),
    "save_search": _l("Saved a search"),
    "delete_saved_search": _l("Deleted a saved search"),
    "saved_search_news": _l("Changed being told about a saved search's new records"),
    "import": _l("Imported a file"),
    "audit_read": _l("Read the audit trail"),
    "operation_create": _l("Created a record"),
    "operation_edit": _l("Edited a record"),
    "operation_amend": _l("Amended an approved record"),
    "operation_submit": _l("Submitted a record for review"),
    "operation_return": _l("Returned a record to the team"),
    "operation_approve": _l("Approved a record"),
    "operation_visibility": _l("Changed who may read a record"),
    "attachment_add": _l("Added a photo or document"),
    "attachment_remove": _l("Removed a photo or document"),
    "attachment_download": _l("Opened a photo or document"),
    "attachment_thumbnail": _l("Viewed a thumbnail"),
    "retention_apply": _l("Removed a record's identities (retention period)"),
    "legal_hold_set": _l("Put a record under a legal hold"),
    "legal_hold_lift": _l("Lifted a record's legal hold"),
    "equipment_import": _l("Imported equipment items"),
    "inbox_read": _l("Opened an inbox item"),
    "lookup_elsewhere": _l("Looked up an identifier in other agencies' records"),
    "operation_hits": _l("Changed who gets hits of a record"),
    "access_request": _l("Asked for access to a record"),
    "access_answer": _l("Answered a request for access"),
    "access_withdraw": _l("Withdrew a request for access"),
    "watch_add": _l("Added a value to the watchlist"),
    "watch_remove": _l("Removed a value from the watchlist"),
    "seizure_link_propose": _l("Proposed two reports as one seizure"),
    "seizure_link_confirm": _l("Confirmed two reports as one seizure event"),
    "seizure_link_different": _l("Closed a possible duplicate as a different seizure"),
    "seizure_link_unlink": _l("Unlinked a seizure event"),
    "seizure_link_reopen": _l("Re-opened a seizure event for review (a report changed)"),
    "seizure_link_removed": _l("A linked seizure was removed from its record"),
}

OBJECT_LABELS = {
    "operation": _l("record"),
    "seizure": _l("seizures"),
    "user": _l("user"),
    "agency": _l("agency"),
    "team": _l("team"),
    "place": _l("place"),
    "apitoken": _l("API token"),
    "savedsearch": _l("saved search"),
    "importbatch": _l("import"),
    "audit": _l("audit trail"),
    "inboxitem": _l("inbox item"),
    "identifier": _l("identifier"),
    "accessrequest": _l("access request"),
    "watch": _l("watched value"),
}

DETAIL_LABELS = {
    "ref": _l("Reference"),
    "link": _l("Seizure link"),
    "other_seizure": _l("Seizure of the other report"),
    "was": _l("Link status before"),
    "changed": _l("Changed"),
    "removed": _l("Seizures removed"),
    "page": _l("Page"),
    "status": _l("Status"),
    "comment": _l("Comment"),
    "query": _l("Query"),
    "format": _l("Format"),
    "found": _l("Found"),
    "reason": _l("Reason"),
    "role": _l("Role"),
    "username": _l("User"),
    "name": _l("Name"),
    "code": _l("Code"),
    "attachment": _l("Attachment"),
    "thumbnails": _l("Thumbnails shown"),
    "seizures": _l("Seizures"),
    "persons": _l("Persons"),
    "vehicles": _l("Vehicles"),
    "visibility": _l("Visibility"),
    "locale": _l("Language"),
    "timezone": _l("Time zone"),
    "failures": _l("Failed attempts"),
    "locked": _l("Locked"),
    "second_factor": _l("Second factor"),
    "recovery_left": _l("Recovery codes left"),
    "session": _l("Session"),
    "next": _l("Next step"),
    "years": _l("Retention period (years)"),
    "cutoff": _l("Records that started before"),
    "hashes_kept": _l("Keyed hashes kept"),
    "file": _l("File"),
    "items": _l("Items"),
    "bad_rows": _l("Rows with errors"),
    "name_en": _l("Name in English"),
    "name_ru": _l("Name in Russian"),
    "name_uz": _l("Name in Uzbek"),
    "country": _l("Country"),
    "is_foreign_partner": _l("Foreign partner"),
    "receive_language": _l("Language of what it receives"),
    "is_programme": _l("Programme organisation"),
    "programme": _l("Programme organisation"),
    "kind": _l("Kind"),
    "region": _l("Region"),
    "lat": _l("Latitude"),
    "lon": _l("Longitude"),
    "counterpart_name": _l("Counterpart across the border"),
    "counterpart_country": _l("Counterpart's country"),
    "counterpart_lat": _l("Counterpart's latitude"),
    "counterpart_lon": _l("Counterpart's longitude"),
    "teams": _l("Teams"),
    "is_active": _l("In use"),
    "lookup": _l("Looked up"),
    "purpose": _l("Purpose"),
    "hits": _l("Hits"),
    "held_by": _l("Held by"),
    "silent_told": _l("Silent records (owners told)"),
    "case_number": _l("Case number"),
    "decision": _l("Decision"),
    "until": _l("Until"),
    "agency": _l("Agency"),
}
# values of a few detail keys that are codes, not data
VALUE_LABELS = {
    "page": {"record": _l("record page"), "edit": _l("edit form"), "conflict": _l("conflict page")},
    "second_factor": {"totp": _l("authenticator code"), "recovery": _l("recovery code")},
    "next": {"code": _l("two-factor code"), "enrol": _l("two-factor enrolment")},
}


def action_label(code: str) -> str:
    if code.startswith("refused:"):  # a refusal names the policy's action, which has a label of its own
        refused = policy.ACTIONS.get(code.removeprefix("refused:"))
        return _("Refused: %(action)s", action=refused.label if refused else code.removeprefix("refused:"))
    found = ACTION_LABELS.get(code)
    return code if found is None else str(found)


def action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(text)) for code, text in ACTION_LABELS.items()), key=lambda pair: pair[1])


@dataclass
class EventView:
    event: object
    action: str
    object_text: str = ""
    object_url: str | None = None
    details: list[tuple[str, str]] = field(default_factory=list)


def _value(key: str, value) -> str:
    if isinstance(value, str) and value in VALUE_LABELS.get(key, {}):
        return str(VALUE_LABELS[key][value])
    if key == "status" and isinstance(value, str):
        return vocab.label(vocab.STATUSES, value)
    if key == "visibility" and isinstance(value, list) and len(value) == 2:
        return " → ".join(vocab.label(vocab.VISIBILITIES, v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def details(text: str) -> list[tuple[str, str]]:
    """The JSON detail as (label, value) pairs; text that is not a JSON object is shown as it is."""
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return [("", text)]
    if not isinstance(data, dict):
        return [("", str(data))]
    return [(str(DETAIL_LABELS.get(k, k)), _value(k, v)) for k, v in data.items() if v not in (None, "", [])]


def _ids(events, kind: str) -> list[int]:
    return sorted({int(e.object_id) for e in events if e.object_type == kind and e.object_id.isdigit()})


def _names(events, reader) -> tuple[dict[str, str], set[str], dict[str, str]]:
    """References of the page's records (and which of them the reader may open) and the accounts' user names.

    The events already carry the reference in their detail; the link is offered only where the
    policy lets the reader open the record, so the page never leads to a refusal.
    """
    db = session()
    record_ids, user_ids = _ids(events, "operation"), _ids(events, "user")
    refs = dict(db.exec(select(Operation.id, Operation.ref).where(Operation.id.in_(record_ids))).all())
    readable = db.exec(
        select(Operation.id).where(Operation.id.in_(record_ids), policy.visible_operations(reader))
    ).all()
    users = dict(db.exec(select(User.id, User.username).where(User.id.in_(user_ids))).all())
    return {str(k): v for k, v in refs.items()}, {str(i) for i in readable}, {str(k): v for k, v in users.items()}


def _organisation_names(events) -> dict[tuple[str, str], str]:
    """(object type, id) -> the agency's or team's name in the reader's language, the place's too."""
    db = session()
    found = {}
    for kind, model in (("agency", Agency), ("team", Team)):
        rows = db.exec(select(model.id, local_name_sql(model)).where(model.id.in_(_ids(events, kind)))).all()
        found.update({(kind, str(i)): name for i, name in rows})
    for i, code in db.exec(select(Place.id, Place.code).where(Place.id.in_(_ids(events, "place")))).all():
        found[("place", str(i))] = vocab.place_label(code, code)
    return found


def page(events, reader) -> list[EventView]:
    refs, readable, users = _names(events, reader)
    organisations = _organisation_names(events)
    views = []
    for event in events:
        view = EventView(event, action_label(event.action), details=details(event.detail))
        kind = OBJECT_LABELS.get(event.object_type)
        name = str(kind) if kind is not None else event.object_type
        if event.object_type == "operation" and event.object_id in refs:
            view.object_text = refs[event.object_id]
            if event.object_id in readable:
                view.object_url = url_for("operations.view", operation_id=int(event.object_id))
            view.details = [pair for pair in view.details if pair[1] != view.object_text]
        elif event.object_type == "user" and event.object_id in users:
            view.object_text = f"{name} {users[event.object_id]}"
        elif (event.object_type, event.object_id) in organisations:
            view.object_text = f"{name} {organisations[(event.object_type, event.object_id)]}"
        else:
            view.object_text = f"{name} {event.object_id}".strip()
        views.append(view)
    return views
