"""Two-factor sign-in: who needs it, enrolment, checking a code, recovery codes.

A code is accepted once: the time step of every accepted code is stored
(User.totp_last_counter) by a conditional UPDATE, so that the same code — or an
older one — is refused even when two server processes receive it at the same
moment. Recovery codes are marked used the same way. Every outcome is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, or_, update
from sqlmodel import select

from ops import audit, policy
from ops.auth import totp
from ops.auth.services import count_failure, end_all_sessions
from ops.db import engine, session
from ops.models import RecoveryCode, User, utcnow

# Roles whose accounts can change or read across many records: they always need a second factor.


def required_for(user: User, config=None) -> bool:
    config = config if config is not None else current_app.config
    return policy.must_use_two_factor(user, config["REQUIRE_2FA_FOR_ALL"])


@dataclass
class CodeCheck:
    ok: bool
    method: str = ""  # "totp" or "recovery" when ok
    reason: str = ""  # "wrong" or "replayed" when not
    recovery_left: int | None = None


def enrolment_view(user: User, secret: str) -> dict:
    """What the enrolment page shows: the QR code, the secret for typing by hand, the account's name in the app."""
    issuer = current_app.config["TOTP_ISSUER"]
    uri = totp.provisioning_uri(secret, user.username, issuer)
    return {
        "qr": totp.qr_data_uri(uri),
        "secret_text": totp.spaced(secret),
        "account_name": user.username,
        "issuer": issuer,
    }


def recovery_codes_left(user_id: int) -> int:
    query = (
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    return session().exec(query).one()


def _accept_totp(db, user: User, code: str) -> CodeCheck:
    counter = totp.matching_counter(user.totp_secret or "", code)
    if counter is None:
        return CodeCheck(False, reason="wrong")
    newer = or_(User.totp_last_counter.is_(None), User.totp_last_counter < counter)
    taken = db.execute(update(User).where(User.id == user.id, newer).values(totp_last_counter=counter))
    if taken.rowcount != 1:
        return CodeCheck(False, reason="replayed")
    return CodeCheck(True, method="totp")


def _accept_recovery(db, user: User, code: str) -> CodeCheck:
    used = db.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.used_at.is_(None),
            RecoveryCode.code_hash == totp.recovery_hash(code),
        )
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:
        return CodeCheck(False, reason="wrong")
    return CodeCheck(True, method="recovery", recovery_left=recovery_codes_left(user.id))


def check_code(user: User, code: str, action: str) -> CodeCheck:
    """Check a six-digit code or a recovery code of an enrolled user and audit the outcome as `action`.

    A wrong code counts as a failed sign-in (see services.count_failure), so
    guessing codes locks the account just as guessing passwords does.
    """
    db = session()
    if not user.totp_enabled or not user.totp_secret:
        result = CodeCheck(False, reason="wrong")
    elif totp.looks_like_totp(code):
        result = _accept_totp(db, user, code)
    else:
        result = _accept_recovery(db, user, code)
    if result.ok:
        audit.record(
            db,
            action,
            user=user,
            object_type="user",
            object_id=user.id,
            detail={"second_factor": result.method, "recovery_left": result.recovery_left},
        )
        db.commit()
    else:
        count_failure(user, action, result.reason)
    return result


def confirm_enrolment(user: User, secret: str, code: str, actor: User | None = None) -> list[str] | None:
    """Turn two-factor sign-in on with `secret` if `code` comes from it; return fresh recovery codes.

    The codes are returned once, to be shown once; only their hashes are stored.
    """
    db = session()
    counter = totp.matching_counter(secret, code)
    if counter is None:
        audit.record_now(
            engine(),
            "two_factor_enrol",
            user=actor or user,
            outcome="failed",
            object_type="user",
            object_id=user.id,
            detail={"reason": "wrong code"},
        )
        return None
    user.totp_secret, user.totp_enabled, user.totp_last_counter = secret, True, counter
    db.add(user)
    codes = _replace_recovery_codes(db, user)
    audit.record(
        db,
        "two_factor_enrol",
        user=actor or user,
        object_type="user",
        object_id=user.id,
        object_agency_id=user.agency_id,
    )
    db.commit()
    return codes


def _replace_recovery_codes(db, user: User) -> list[str]:
    db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    for code in codes:
        db.add(RecoveryCode(user_id=user.id, code_hash=totp.recovery_hash(code)))
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    db = session()
    codes = _replace_recovery_codes(db, user)
    audit.record(
        db, "recovery_codes_new", user=user, object_type="user", object_id=user.id, object_agency_id=user.agency_id
    )
    db.commit()
    return codes


def _forget(db, user: User) -> None:
    user.totp_secret, user.totp_enabled, user.totp_last_counter = None, False, None
    db.add(user)
    db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def turn_off(user: User) -> None:
    """The user turns two-factor sign-in off (only where it is optional; the route checks)."""
    db = session()
    _forget(db, user)
    audit.record(
        db, "two_factor_disable", user=user, object_type="user", object_id=user.id, object_agency_id=user.agency_id
    )
    db.commit()


def reset_by_admin(actor: User, user: User) -> None:
    """Lost phone and recovery codes: an admin clears the enrolment; the user's sessions end and,
    where two-factor sign-in is required, the user enrols again at the next sign-in."""
    db = session()
    _forget(db, user)
    end_all_sessions(db, user.id, "2fa reset")
    audit.record(
        db, "two_factor_reset", user=actor, object_type="user", object_id=user.id, object_agency_id=user.agency_id
    )
    db.commit()
