"""Hits: which other agencies hold an approved record matching an identifier, from the identifier index only.

A hit says who holds a record, the year, and on what kind of identifier it
matched; nothing of the record itself, not even its reference: each hit carries
an opaque token (an HMAC of the user and the record under the secret key) from
which an access request names its record, and only for that user, and only
while the record still gives that user that hit.

Reaching other agencies' records needs a purpose, given before the lookup; each
such lookup is audited with it and counts against the user's daily limit
(OPS_LOOKUP_DAILY_LIMIT). A silent record gives no hit; its owner's supervisors
are told which agency looked up which identifier, and why.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, time

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import distinct, func, literal, not_, select, true, union_all

from ops import audit, clock, policy, vocab
from ops.hits import terms as hit_terms
from ops.inbox import services as inbox
from ops.models import Agency, AuditEvent, IdentifierKey, Operation

LOOKUP_ACTION = "lookup_elsewhere"
PURPOSE_LENGTH = 200
KIND_ORDER = ("plate", "document", "phone", "name")


class Refused(Exception):
    """The lookup or request cannot be made; the message says why (nothing was written).

    `reason`: "input" (bad or missing input), "not_identifier", "limit" or "role", for the API's status."""

    def __init__(self, message: str, reason: str = "input"):
        super().__init__(message)
        self.reason = reason


@dataclass
class Hit:
    agency: str
    year: int
    kinds: list[str]
    token: str


@dataclass
class Outcome:
    typed: str
    purpose: str
    hits: list[Hit] = field(default_factory=list)
    used_today: int = 0
    limit: int = 0


def token(user, operation_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"hit:{user.id}:{operation_id}".encode(), hashlib.sha256).hexdigest()[:32]


def used_today(db, user) -> int:
    """This user's lookups in other agencies' records since midnight (UTC)."""
    midnight = datetime.combine(clock.now().date(), time.min, tzinfo=clock.now().tzinfo)
    query = select(func.count()).where(
        AuditEvent.user_id == user.id, AuditEvent.action == LOOKUP_ACTION, AuditEvent.ts >= midnight
    )
    return db.execute(query).scalar_one()


def daily_limit() -> int:
    return current_app.config["LOOKUP_DAILY_LIMIT"]


def check_purpose(purpose: str | None) -> str:
    text = " ".join((purpose or "").split())
    if not text:
        raise Refused(_("Give the purpose of this lookup (a short text or a case number) to reach other agencies."))
    if len(text) > PURPOSE_LENGTH:
        raise Refused(_("The purpose is longer than %(max)d characters.", max=PURPOSE_LENGTH))
    return text


def matches(terms: hit_terms.Terms):
    """A subquery (operation_id, kind) of the index rows matching the terms: indexed equalities only."""
    arms = []
    for kind in ("plate", "document"):
        if terms.identifier:
            arms.append(_arm(kind).where(IdentifierKey.kind == kind, IdentifierKey.value == terms.identifier))
    if terms.phone:
        arms.append(_arm("phone").where(IdentifierKey.kind == "phone", IdentifierKey.value == terms.phone))
    if terms.name_keys:
        arms.append(
            _arm("name")
            .where(IdentifierKey.kind == "name", IdentifierKey.value.in_(sorted(terms.name_keys)))
            .group_by(IdentifierKey.operation_id, IdentifierKey.person_id)
            .having(func.count(distinct(IdentifierKey.value)) == len(terms.name_keys))
        )
    return union_all(*arms).subquery() if len(arms) > 1 else arms[0].subquery()


def _arm(kind: str):
    return select(IdentifierKey.operation_id.label("operation_id"), literal(kind).label("kind"))


def hits_for(db, user, typed: str, include_readable: bool = False) -> dict[int, tuple[int, datetime, list[str]]]:
    """{record id: (owning agency id, date, kinds matched)} of the records giving `user` a hit on `typed`
    (with `include_readable`, also those matching records the user may read, which give no hit)."""
    terms = hit_terms.of(typed)
    if not terms:
        return {}
    found = matches(terms)
    conditions = [policy.hits_clause(user)]
    if not include_readable:
        conditions.append(not_(policy.visible_operations(user)))
    rows = db.execute(
        select(Operation.id, Operation.owner_agency_id, Operation.started_at, found.c.kind)
        .join(found, found.c.operation_id == Operation.id)
        .where(*conditions)
    ).all()
    by_record: dict[int, tuple[int, datetime, list[str]]] = {}
    for operation_id, agency_id, started_at, kind in rows:
        kinds = by_record.setdefault(operation_id, (agency_id, started_at, []))[2]
        if kind not in kinds:
            kinds.append(kind)
    return by_record


def look_up(db, user, typed: str, purpose: str | None) -> Outcome:
    """Hits on `typed` in other agencies' records, for a stated purpose; audited, counted, silent owners told."""
    if not policy.can(user, "look_up_elsewhere"):
        raise Refused(_("Your role does not look up other agencies' records."), "role")
    purpose = check_purpose(purpose)
    if not hit_terms.of(typed):
        raise Refused(
            _("Only plates, document numbers, phone numbers and full names are looked up in other agencies' records."),
            "not_identifier",
        )
    used, limit = used_today(db, user), daily_limit()
    if used >= limit:
        message = _("You have made the %(limit)d lookups in other agencies' records allowed per day.", limit=limit)
        raise Refused(message, "limit")
    found = hits_for(db, user, typed)
    every = db.execute(select(Agency)).scalars().all()
    agencies = {agency.id: agency.name for agency in every}  # the audit trail's and the owners' notices' words
    shown = {agency.id: vocab.local_name(agency) for agency in every}  # the searcher's language
    hits = [
        Hit(shown.get(agency_id, ""), started.year, sorted(kinds, key=KIND_ORDER.index), token(user, op_id))
        for op_id, (agency_id, started, kinds) in sorted(found.items(), key=lambda item: item[1][1], reverse=True)
    ]
    silent = _tell_silent_owners(db, user, typed, purpose, agencies)
    codes = sorted({agencies.get(agency_id, "") for agency_id, _d, _k in found.values()})
    detail = {"lookup": typed, "purpose": purpose, "hits": len(hits), "held_by": codes, "silent_told": silent}
    audit.record(db, LOOKUP_ACTION, user=user, object_type="identifier", detail=detail)
    db.commit()
    return Outcome(typed, purpose, hits, used + 1, limit)


def _tell_silent_owners(db, user, typed: str, purpose: str, agencies: dict) -> int:
    """Inbox items to the supervisors of each silent record's owner: who looked it up, and why."""
    terms = hit_terms.of(typed)
    if not terms:
        return 0
    found = matches(terms)
    silent = db.execute(
        select(Operation.id, Operation.ref, Operation.owner_agency_id)
        .join(found, found.c.operation_id == Operation.id)
        .where(
            Operation.status == "approved",
            Operation.silent == true(),
            Operation.owner_agency_id != user.agency_id,
            not_(policy.visible_operations(user)),
        )
        .distinct()
    ).all()
    for operation_id, ref, owner_id in silent:
        params = {"agency": agencies.get(user.agency_id, ""), "identifier": typed, "purpose": purpose, "ref": ref}
        link = url_for("operations.view", operation_id=operation_id)
        inbox.notify(db, inbox.supervisors_of(db, owner_id), "silent_lookup", params, link, operation_id)
    return len(silent)


def held_by_token(
    db, user, typed: str, hit_token: str, include_readable: bool = False
) -> tuple[int, int, list[str], bool] | None:
    """(record id, owning agency id, kinds, readable now) of the hit on `typed` with this token, while the
    record still gives that hit (with `include_readable`: or has become readable to the user meanwhile)."""
    for operation_id, (agency_id, _started, kinds) in hits_for(db, user, typed, include_readable).items():
        if hmac.compare_digest(token(user, operation_id), hit_token or ""):
            readable = db.execute(
                select(Operation.id).where(Operation.id == operation_id, policy.visible_operations(user))
            ).first()
            return operation_id, agency_id, kinds, readable is not None
    return None


def is_identifier(typed: str | None) -> bool:
    return bool(hit_terms.of(typed))
