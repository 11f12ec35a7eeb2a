"""Inbox items as sentences in the reader's language: one message per kind, filled from the item's params."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale, format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ops.inbox.services import params
from ops.models import InboxItem

MATCH_KINDS = {"plate": _l("plate"), "document": _l("document number"), "phone": _l("phone number"), "name": _l("name")}

MESSAGES = {
    "record_returned": _l("%(ref)s was returned to your team."),
    "record_to_review": _l("%(ref)s is waiting for your review."),
    "access_request": _l("%(agency)s asks for access to %(ref)s (match on %(kind)s); answer by %(due)s."),
    "access_granted": _l("%(agency)s granted your request for access (match on %(kind)s)."),
    "access_partial": _l("%(agency)s granted your request for access in part (match on %(kind)s)."),
    "access_refused": _l("%(agency)s refused your request for access (match on %(kind)s)."),
    "silent_lookup": _l("%(agency)s looked up %(identifier)s, which matches your silent record %(ref)s."),
    "watch_hit": _l("New matching records for your watched %(values)s: %(count)s."),
    "plan_conflict": _l(
        "A plan of your agency conflicts with a plan of %(agency)s: contact their duty officer %(contact)s."
    ),
    "plan_conflict_team": _l(
        "A plan of your agency conflicts with a plan of its team %(team)s: contact their duty officer %(contact)s."
    ),
    "release_to_approve": _l("A release of %(ref)s to a counterpart office waits for your approval."),
    "release_received": _l("%(agency)s sent your office release no. %(number)s: %(text)s"),
    "release_acknowledged": _l("%(agency)s acknowledged release no. %(number)s."),
    "release_refused": _l("A supervisor refused your release no. %(number)s of %(ref)s: it was not sent."),
    "headsup_received": _l("%(agency)s sent your office a heads-up message (no. %(number)s)."),
    "headsup_reply": _l("%(agency)s answered in the heads-up thread no. %(number)s."),
    "seizure_event_unlinked": _l(
        "A seizure of %(ref)s and the report by %(agency)s were unlinked: each counts on its own again."
    ),
    "seizure_event_left": _l(
        "A seizure of %(ref)s is no longer one seizure event with the report by %(agency)s: one of the two was "
        "removed from its record, and the totals were counted anew."
    ),
    "seizure_event_reopened": _l(
        "The seizure event of %(ref)s with the report by %(agency)s was re-opened for review: a report's "
        "commodity, quantity, unit, time or place changed after the link was confirmed. Until it is confirmed "
        "again, each report counts on its own."
    ),
}

TITLES = {
    "record_returned": _l("Returned to your team"),
    "record_to_review": _l("Waiting for your review"),
    "access_request": _l("Access request to answer"),
    "access_granted": _l("Access request answered"),
    "access_partial": _l("Access request answered"),
    "access_refused": _l("Access request answered"),
    "silent_lookup": _l("Lookup of a silent record"),
    "watch_hit": _l("Watchlist"),
    "plan_conflict": _l("Conflict of planned operations"),
    "plan_conflict_team": _l("Conflict of planned operations"),
    "release_to_approve": _l("Release to approve"),
    "release_received": _l("Release from a counterpart"),
    "release_acknowledged": _l("Release acknowledged"),
    "release_refused": _l("Release refused"),
    "headsup_received": _l("Heads-up message"),
    "headsup_reply": _l("Heads-up answered"),
    "seizure_event_unlinked": _l("Seizure event unlinked"),
    "seizure_event_left": _l("Seizure event changed"),
    "seizure_event_reopened": _l("Seizure event to review again"),
    "saved_search_news": _l("Saved search"),
}


def _saved_search_news(values: dict) -> str:
    count = values["count"] if isinstance(values["count"], int) else 0
    return ngettext(
        "%(num)d new record for your saved search “%(name)s”.",
        "%(num)d new records for your saved search “%(name)s”.",
        count,
        name=values["name"],
    )


# messages with a number in them: the plural form of the reader's language
COUNTED = {"saved_search_news": _saved_search_news}


def message(item: InboxItem) -> str:
    """The item's sentence; in the language it was addressed in when it has one (a counterpart office's)."""
    locale = params(item).get("locale")
    if locale:
        with force_locale(locale):
            return _message(item)
    return _message(item)


def _message(item: InboxItem) -> str:
    values = {
        key: ""
        for key in (
            "ref",
            "agency",
            "kind",
            "due",
            "identifier",
            "values",
            "count",
            "team",
            "contact",
            "number",
            "text",
            "name",
        )
    }
    values.update(params(item))
    if isinstance(values.get("matches"), list):  # watch_hit: the watched values matched, each with its kind
        values["values"] = ", ".join(
            f"{MATCH_KINDS.get(m.get('kind'), m.get('kind'))} {m.get('value')}" for m in values["matches"]
        )
    values["kind"] = str(MATCH_KINDS.get(values["kind"], values["kind"]))
    if values["due"]:
        values["due"] = format_datetime(datetime.fromisoformat(values["due"]), "short")
    if item.kind in COUNTED:
        return COUNTED[item.kind](values)
    template = MESSAGES.get(item.kind)
    return str(template) % values if template is not None else _("Notice")


def title(item: InboxItem) -> str:
    locale = params(item).get("locale")
    if locale:
        with force_locale(locale):
            return str(TITLES.get(item.kind, _l("Notice")))
    return str(TITLES.get(item.kind, _l("Notice")))


def extra(item: InboxItem) -> str:
    """The purpose of a lookup or request, or the reason of an answer, when the item has one."""
    found = params(item)
    return found.get("purpose") or found.get("reason") or ""
