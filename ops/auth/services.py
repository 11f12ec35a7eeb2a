"""Sign-in, server-side sessions and password changes. Each writes its audit event."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, request
from flask import session as cookie_session
from flask_login import login_user, logout_user
from sqlalchemy import update
from sqlmodel import select

from ops import audit, passwords, policy
from ops.db import engine, session
from ops.models import Agency, User, UserSession, utcnow


def find_user(username: str) -> User | None:
    return session().exec(select(User).where(User.username == username.strip())).first()


def _lockout_threshold() -> int:
    return current_app.config["LOGIN_LOCKOUT_THRESHOLD"]


def check_credentials(username: str, password: str) -> User | None:
    """The user if name and password match an active, unlocked account; else None.

    The caller shows one message for every failure, so that nobody learns
    whether the name exists. Failures are counted per account and lock it
    after LOGIN_LOCKOUT_THRESHOLD in a row; every attempt is audited.
    """
    user = find_user(username)
    if user is None:
        passwords.burn_time()
        audit.record_now(
            engine(),
            "login",
            outcome="failed",
            object_type="user",
            object_id=username[:64],
            detail={"reason": "unknown user"},
        )
        return None
    if not passwords.verify_password(user.password_hash, password):
        count_failure(user, "login", "wrong password")
        return None
    if not user.is_active or user.locked_at is not None:
        reason = "disabled" if not user.is_active else "locked"
        audit.record_now(
            engine(),
            "login",
            user=user,
            outcome="refused",
            object_type="user",
            object_id=user.id,
            detail={"reason": reason},
        )
        return None
    return user


def count_failure(user: User, action: str, reason: str) -> None:
    """One more failed proof (password, two-factor code, re-authentication) in a row; lock at the threshold.

    The counter is incremented and read back in one statement, so that attempts
    landing on several server processes at once are all counted and the lock is
    set by whichever reaches the threshold.
    """
    db = session()
    failures = db.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    ).scalar_one()
    locked = failures >= _lockout_threshold()
    if locked:
        db.execute(update(User).where(User.id == user.id, User.locked_at.is_(None)).values(locked_at=utcnow()))
    audit.record(
        db,
        action,
        user=user,
        outcome="failed",
        object_type="user",
        object_id=user.id,
        detail={"reason": reason, "failures": failures, "locked": locked},
    )
    db.commit()
    db.expire(user)  # failed_logins and locked_at changed behind the object's back


def password_step_passed(user: User, enrol: bool) -> None:
    """Audit a right password whose sign-in now waits for the second factor."""
    audit.record_now(
        engine(),
        "login",
        user=user,
        outcome="pending_2fa",
        object_type="user",
        object_id=user.id,
        detail={"next": "enrol" if enrol else "code"},
    )


def get_user(user_id: int) -> User | None:
    return session().get(User, user_id)


def start_session(user: User, second_factor: bool = False) -> UserSession:
    """A fresh server-side session and a fresh cookie for a user who proved who they are."""
    db = session()
    now = utcnow()
    row = UserSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        ip=(request.remote_addr or "")[:64],
        user_agent=request.user_agent.string[:255],
        second_factor_at=now if second_factor else None,
    )
    db.add(row)
    user.failed_logins = 0
    db.add(user)
    audit.record(
        db,
        "login",
        user=user,
        object_type="user",
        object_id=user.id,
        detail={"session": row.id[:8], "second_factor": second_factor},
    )
    db.commit()
    cookie_session.clear()  # nothing from before sign-in survives: no fixation
    _attach(user, row)
    login_user(user)
    return row


def _attach(user: User, row: UserSession) -> None:
    # Flask-Login's id is the server-side session's id; the row rides along for this request.
    object.__setattr__(user, "_auth_session_id", row.id)
    object.__setattr__(user, "_auth_session", row)


def current_session_row(user) -> UserSession | None:
    """The server-side session the request was made with (None for anonymous users)."""
    return getattr(user, "_auth_session", None)


def rehash_if_needed(user: User, password: str) -> None:
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        session().add(user)
        session().commit()


def end_session(user: User, reason: str = "logout") -> None:
    db = session()
    session_id = user.get_id()
    db.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    audit.record(db, "logout", user=user, object_type="user", object_id=user.id)
    db.commit()
    logout_user()
    cookie_session.clear()


def end_all_sessions(db, user_id: int, reason: str, keep: str | None = None) -> int:
    """End every open session of a user (disabling, password change), except `keep`; return how many."""
    query = update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
    if keep:
        query = query.where(UserSession.id != keep)
    return db.execute(query.values(ended_at=utcnow(), end_reason=reason)).rowcount


def session_limits() -> tuple[timedelta, timedelta]:
    """(idle timeout, absolute lifetime) from the settings."""
    config = current_app.config
    return timedelta(minutes=config["SESSION_IDLE_MINUTES"]), timedelta(hours=config["SESSION_MAX_HOURS"])


def load_session_user(session_id: str) -> tuple[User | None, str]:
    """Flask-Login's loader: (the user of a live server-side session, "") or (None, why not)."""
    db = session()
    # the session, its user and whether the user's agency is a foreign counterpart office (every page asks):
    # one statement instead of three
    row, user, foreign_partner = db.execute(
        select(UserSession, User, Agency.is_foreign_partner)
        .outerjoin(User, User.id == UserSession.user_id)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .where(UserSession.id == session_id)
    ).first() or (None, None, None)
    if row is None or row.ended_at is not None:
        return None, "ended"
    now = utcnow()
    idle, lifetime = session_limits()
    if now - row.last_seen_at > idle or now - row.created_at > lifetime:
        row.ended_at, row.end_reason = now, ("idle" if now - row.created_at <= lifetime else "expired")
        db.add(row)
        audit.record(
            db,
            "session_expired",
            user=db.get(User, row.user_id),
            object_type="user",
            object_id=row.user_id,
            detail={"reason": row.end_reason},
        )
        db.commit()
        return None, row.end_reason
    if user is None or not user.is_active or user.locked_at is not None:
        return None, "refused"
    policy.know_foreign_partner(user.agency_id, bool(foreign_partner))
    if now - row.last_seen_at > timedelta(seconds=60):  # don't write on every request
        row.last_seen_at = now
        db.add(row)
        db.commit()
    _attach(user, row)
    return user, ""


def change_password(user: User, current: str, new: str) -> bool:
    if not passwords.verify_password(user.password_hash, current):
        count_failure(user, "password_change", "wrong current password")
        return False
    db = session()
    user.password_hash = passwords.hash_password(new)
    user.password_changed_at = utcnow()
    db.add(user)
    end_all_sessions(db, user.id, "password changed", keep=user.get_id())
    audit.record(db, "password_change", user=user, object_type="user", object_id=user.id)
    db.commit()
    return True


def save_preferences(user: User, locale: str, timezone_name: str) -> None:
    db = session()
    user.locale, user.timezone = locale, timezone_name
    db.add(user)
    audit.record(
        db,
        "preferences",
        user=user,
        object_type="user",
        object_id=user.id,
        detail={"locale": locale, "timezone": timezone_name},
    )
    db.commit()
