"""Retention of personal data: old records lose their persons' identities, keep everything else.

`OPS_RETENTION_YEARS` says how many years the identities of persons in
approved records are kept, counted from the operation's start. `ops retention
apply` finds the records past it (`plan()`) and, with `--apply`, replaces in
each (`remove_identities()`, one transaction and one audit event per record):

- the persons' names, birth dates and document numbers (the person rows stay,
  so counts of persons detained do not change; seizures are not touched);
- the same identities in free text (title, narrative, H3 conditions, return
  comment, concealment details, attachment file names) by the masking rules
  (normalize.mask_identities), also those of persons since removed;
- the same in the record's revisions (snapshots of persons and every text).

Kept out: records under a legal hold (set by a supervisor of the owning
agency) and records with an open access request (`under_access_request()`).
With `OPS_RETENTION_KEEP_HASHES`, keyed hashes (HMAC-SHA256 with SECRET_KEY)
of the normalised identifiers stay, for correlations only.

The audit trail is the legal record and is never rewritten; backups keep what
they were made with (README, "Retention of personal data").
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, func, or_, select
from sqlmodel import Session

from ops import audit, clock, identities, normalize
from ops.models import AccessRequest, Attachment, Operation, Person, PersonIdentityHash, Revision, Seizure

MARKER = "•••"  # what replaces a removed identity, in fields and in free text alike
TITLE_MAX = 200
DETAIL_MAX = 200
FILENAME_MAX = 200


def under_access_request():
    """A SELECT of the ids of operations with an open access request: retention keeps them until it is answered."""
    return select(AccessRequest.operation_id).where(AccessRequest.status == "open")


def cutoff(years: int, now: datetime | None = None) -> datetime:
    """Records that started before this instant are past the retention period (29 February counts as the 28th)."""
    now = now or clock.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def _identities_left():
    """The record still holds a person with an identity (runs again find nothing: idempotent)."""
    return exists().where(
        Person.operation_id == Operation.id,
        or_(
            Person.full_name != MARKER,
            Person.document_number.is_not(None),
            Person.birth_date.is_not(None),
            Person.phones != "",
        ),
    )


@dataclass
class Plan:
    years: int
    cutoff: datetime
    due: list[int] = field(default_factory=list)  # past the period, neither held nor under request
    held: list[int] = field(default_factory=list)
    requested: list[int] = field(default_factory=list)
    persons: int = 0  # persons of the due records


def plan(db: Session, years: int, now: datetime | None = None) -> Plan:
    """What `apply` would do now: read only."""
    before = cutoff(years, now)
    past = db.execute(
        select(Operation.id, Operation.legal_hold, Operation.id.in_(under_access_request()))
        .where(Operation.status == "approved", Operation.started_at < before, _identities_left())
        .order_by(Operation.id)
    ).all()
    found = Plan(years, before)
    for operation_id, held, requested in past:
        (found.held if held else found.requested if requested else found.due).append(operation_id)
    if found.due:
        found.persons = sum(
            db.scalar(select(func.count(Person.id)).where(Person.operation_id.in_(chunk))) or 0
            for chunk in _chunks(found.due)
        )
    return found


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def apply(db: Session, found: Plan, secret_key: str, keep_hashes: bool) -> int:
    """Remove the identities of every due record, one transaction (and audit event) each; returns how many."""
    done = 0
    for operation_id in found.due:
        if remove_identities(db, operation_id, found, secret_key, keep_hashes):
            done += 1
    return done


def remove_identities(db: Session, operation_id: int, found: Plan, secret_key: str, keep_hashes: bool) -> bool:
    """One record: identities out of persons, texts and revisions; its audit event; committed together."""
    operation = db.get(Operation, operation_id)
    # checked again inside the transaction: a hold set since the plan was made wins
    if operation is None or operation.legal_hold or _is_requested(db, operation_id):
        db.rollback()
        return False
    revisions = list(db.scalars(select(Revision).where(Revision.operation_id == operation_id)))
    known = identities.joined(identities.of_operations(db, [operation_id])[operation_id], _past(revisions))
    persons = list(db.scalars(select(Person).where(Person.operation_id == operation_id)))
    for person in persons:
        if keep_hashes:
            _keep_hashes(db, person, secret_key)
        _blank(person)
    _mask_texts(db, operation, known)
    for revision in revisions:
        revision.reason = normalize.mask_identities(revision.reason, known, MARKER)
        revision.changes = json.dumps(
            [_scrubbed(change, known) for change in json.loads(revision.changes or "[]")],
            ensure_ascii=False,
            default=str,
        )
    operation.identities_removed_at = clock.now()
    audit.record(
        db,
        "retention_apply",
        object_type="operation",
        object_id=operation.id,
        object_agency_id=operation.owner_agency_id,
        detail={
            "ref": operation.ref,
            "persons": len(persons),
            "years": found.years,
            "cutoff": found.cutoff.date().isoformat(),
            "hashes_kept": keep_hashes,
        },
    )
    db.commit()
    return True


def _is_requested(db: Session, operation_id: int) -> bool:
    return db.scalar(select(Operation.id.in_(under_access_request())).where(Operation.id == operation_id)) or False


def _past(revisions: list[Revision]) -> normalize.Identities:
    return identities.of_revisions(revisions)


def _blank(person: Person) -> None:
    person.full_name = MARKER
    person.name_norm = normalize.name(MARKER)
    person.birth_date = None
    person.document_number = None
    person.document_norm = None
    person.phones = ""  # and so out of the identifier index (no hit) and the search index's persons part


def identifier_hash(secret_key: str, kind: str, normal_form: str) -> str:
    """HMAC-SHA256 of an identifier's normal form (normalize.name / identifier, ISO birth date) under the
    installation's key: correlations hash the live identifier the same way and compare."""
    message = f"{kind}:{normal_form}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def _keep_hashes(db: Session, person: Person, secret_key: str) -> None:
    kept = {
        "name": person.name_norm if person.full_name != MARKER else "",
        "document": person.document_norm or "",
        "birth_date": person.birth_date.isoformat() if isinstance(person.birth_date, date) else "",
    }
    for kind, value in kept.items():
        if value:
            db.add(PersonIdentityHash(person_id=person.id, kind=kind, hash=identifier_hash(secret_key, kind, value)))


def _masked(text: str | None, known: normalize.Identities, limit: int | None = None) -> str:
    result = normalize.mask_identities(text or "", known, MARKER)
    return result[:limit] if limit else result


def _mask_texts(db: Session, operation: Operation, known: normalize.Identities) -> None:
    operation.title = _masked(operation.title, known, TITLE_MAX)
    operation.narrative = _masked(operation.narrative, known)
    operation.handling_conditions = _masked(operation.handling_conditions, known)
    if operation.return_comment:
        operation.return_comment = _masked(operation.return_comment, known)
    for seizure in db.scalars(select(Seizure).where(Seizure.operation_id == operation.id)):
        if seizure.concealment_detail:
            masked = _masked(seizure.concealment_detail, known, DETAIL_MAX)
            if masked != seizure.concealment_detail:
                seizure.concealment_detail = masked
    for attachment in db.scalars(select(Attachment).where(Attachment.operation_id == operation.id)):
        attachment.filename = _masked(attachment.filename, known, FILENAME_MAX)


def _scrubbed(value, known: normalize.Identities, person: bool = False):
    """A revision's value with identities removed: person snapshots lose theirs, every text is masked."""
    if isinstance(value, dict):
        if "field" in value and "old" in value:  # one change: {"field", "old", "new"}
            is_person = str(value.get("field", "")).startswith("person")
            return {k: (_scrubbed(v, known, is_person) if k in ("old", "new") else v) for k, v in value.items()}
        scrubbed = {k: _scrubbed(v, known) for k, v in value.items()}
        if person:
            scrubbed.update(full_name=MARKER, birth_date=None, document_number=None)
            if "phones" in scrubbed:
                scrubbed["phones"] = ""
        return scrubbed
    if isinstance(value, list):
        return [_scrubbed(v, known) for v in value]
    if isinstance(value, str):
        return normalize.mask_identities(value, known, MARKER)
    return value
