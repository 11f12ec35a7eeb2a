"""Handling codes and grading: the rules every writer (form, API, importer) checks, and their changes.

A handling code says what a reader may do with what they read (H0..H3, H3 with
its conditions); a grade says how far the source and the information can be
trusted (the 4x4 system). Who may change them is ops.policy's "change_handling";
this module keeps the rules that tie them to the rest of the record.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import select

from ops import vocab
from ops.db import session
from ops.models import Operation, Seizure, User, utcnow
from ops.operations import revisions
from ops.operations.schemas import HANDLING_FIELDS, HandlingChoice
from ops.operations.services import Conflict, audit_operation, hold_version

MAX_CONDITIONS = 2000


def problems(choice: HandlingChoice, visibility: str) -> dict[str, str]:
    """Field -> message for a choice that breaks a rule; empty when it is sound."""
    found = {}
    if choice.handling_code not in vocab.HANDLING_CODES:
        found["handling_code"] = _("Unknown handling code: choose H0, H1, H2 or H3.")
    if choice.grading and choice.grading not in vocab.GRADINGS:
        found["grading"] = _("Unknown grading: a source reliability A–D or X and an assessment 1–4, e.g. B2.")
    conditions = choice.handling_conditions.strip()
    if choice.handling_code == vocab.CONDITIONS_CODE and not conditions:
        found["handling_conditions"] = _("H3 needs its conditions: say what readers must do or not do.")
    elif choice.handling_code != vocab.CONDITIONS_CODE and conditions:
        found["handling_conditions"] = _("Conditions go with handling code H3 only.")
    elif len(conditions) > MAX_CONDITIONS:
        found["handling_conditions"] = _("At most %(n)s characters.", n=MAX_CONDITIONS)
    if choice.handling_code == vocab.NO_FURTHER_DISSEMINATION and visibility == "all":
        found.setdefault("handling_code", h2_not_for_all())
    return found


def h2_not_for_all() -> str:
    return _("A record with handling code H2 cannot be shared with all agencies: choose named partner agencies.")


def needs_grading(operation: Operation) -> bool:
    """Records of intelligence or risk profiling are graded before they leave the team."""
    if operation.grading:
        return False
    query = select(Seizure.id).where(
        Seizure.operation_id == operation.id, Seizure.detection.in_(vocab.GRADED_DETECTIONS)
    )
    return session().exec(query.limit(1)).first() is not None


def grading_required_message() -> str:
    return _(
        "Grade the record before submitting it: a seizure was detected by intelligence or risk profiling. "
        "A lead or supervisor of the agency sets the grading under \u201cHandling code and grading\u201d."
    )


def apply(operation: Operation, choice: HandlingChoice) -> None:
    operation.handling_code = choice.handling_code
    operation.handling_conditions = choice.handling_conditions.strip() if choice.handling_code == "H3" else ""
    operation.grading = choice.grading


def current(operation: Operation) -> HandlingChoice:
    return HandlingChoice(**{name: getattr(operation, name) for name in HANDLING_FIELDS})


def change(actor: User, operation: Operation, choice: HandlingChoice, expected_version: int) -> bool:
    """Write a new code or grade, its revision and its audit event. False when nothing changed."""
    db = session()
    try:
        before = {name: getattr(operation, name) for name in HANDLING_FIELDS}
        hold_version(operation, expected_version)
        apply(operation, choice)
        after = {name: getattr(operation, name) for name in HANDLING_FIELDS}
        changes = revisions.diff(before, after)
        if not changes:
            db.rollback()
            return False
        operation.updated_at = utcnow()
        revisions.add(db, operation, actor, "handling", changes)
        audit_operation(
            db, actor, "operation_handling", operation, **{c["field"]: [c["old"], c["new"]] for c in changes}
        )
        db.commit()
    except StaleDataError:
        db.rollback()
        raise Conflict() from None
    return True
