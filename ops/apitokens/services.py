"""Personal API tokens: created by their user, shown once, stored only as a SHA-256 hash.

A token reads `ops_<prefix>_<secret>`; the prefix (not secret) is kept to
tell tokens apart in the list. A token works only while it is neither
expired nor revoked and its user is active and not locked.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from ops import audit
from ops.db import session
from ops.models import ApiToken, User, utcnow

MAX_DAYS = 365


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: User, name: str, days: int, read_only: bool) -> tuple[ApiToken, str]:
    prefix = secrets.token_hex(4)
    clear = f"ops_{prefix}_{secrets.token_urlsafe(32)}"
    db = session()
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=_digest(clear),
        prefix=prefix,
        read_only=read_only,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.add(token)
    db.flush()
    audit.record(
        db,
        "token_create",
        user=user,
        object_type="apitoken",
        object_id=token.id,
        object_agency_id=user.agency_id,
        detail={"name": name, "days": days, "read_only": read_only},
    )
    db.commit()
    return token, clear


def user_tokens(user: User) -> list[ApiToken]:
    return (
        session().exec(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())).all()
    )


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when there is no such token of theirs."""
    db = session()
    result = db.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if result.rowcount != 1:
        db.rollback()
        return False
    audit.record(
        db, "token_revoke", user=user, object_type="apitoken", object_id=token_id, object_agency_id=user.agency_id
    )
    db.commit()
    return True


def user_for_token(clear: str) -> tuple[User, ApiToken] | None:
    """The active user behind a live token, or None."""
    if not clear.startswith("ops_") or len(clear) > 128:
        return None
    db = session()
    token = db.exec(select(ApiToken).where(ApiToken.token_hash == _digest(clear))).first()
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    user = db.get(User, token.user_id)
    if user is None or not user.is_active or user.locked_at is not None:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now  # coarse, so that reads don't write on every request
        db.add(token)
        db.commit()
    return user, token
