"""A user's own active sessions: list them, end one, end all the others.

Pages never show a session's id (it is what the cookie carries); they show a
short handle derived from it, and a handle is only looked up among the
signed-in user's own sessions.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import select

from ops import audit
from ops.auth.services import end_all_sessions, session_limits
from ops.db import session
from ops.models import User, UserSession, utcnow

_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("YaBrowser/", "Yandex Browser"),
    ("Firefox/", "Firefox"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


@dataclass
class SessionView:
    handle: str
    device: str
    user_agent: str
    ip: str
    started: object
    last_seen: object
    current: bool


def handle_of(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()[:16]


def describe_device(user_agent: str) -> str:
    """'Firefox on Windows' from a User-Agent string; good enough to recognise one's own devices."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or re.sub(r"\s+", " ", user_agent)[:40]


def _live_sessions(user_id: int):
    now = utcnow()
    idle, lifetime = session_limits()
    return select(UserSession).where(
        UserSession.user_id == user_id,
        UserSession.ended_at.is_(None),
        UserSession.last_seen_at >= now - idle,
        UserSession.created_at >= now - lifetime,
    )


def active_sessions(user: User) -> list[SessionView]:
    """The user's live sessions, the current one first, then the most recently used."""
    rows = session().exec(_live_sessions(user.id).order_by(UserSession.last_seen_at.desc())).all()
    views = [
        SessionView(
            handle=handle_of(row.id),
            device=describe_device(row.user_agent),
            user_agent=row.user_agent,
            ip=row.ip,
            started=row.created_at,
            last_seen=row.last_seen_at,
            current=row.id == user.get_id(),
        )
        for row in rows
    ]
    return sorted(views, key=lambda view: not view.current)


def end_one(user: User, handle: str) -> bool:
    """End the user's session with this handle; False when there is none (or it ended already)."""
    db = session()
    rows = db.exec(_live_sessions(user.id)).all()
    target = next((row for row in rows if handle_of(row.id) == handle), None)
    if target is None:
        return False
    db.execute(
        update(UserSession)
        .where(UserSession.id == target.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason="ended by user")
    )
    audit.record(
        db,
        "session_end",
        user=user,
        object_type="user",
        object_id=user.id,
        detail={"session": handle, "current": target.id == user.get_id()},
    )
    db.commit()
    return True


def end_others(user: User) -> int:
    db = session()
    ended = end_all_sessions(db, user.id, "ended by user", keep=user.get_id())
    audit.record(db, "session_end_others", user=user, object_type="user", object_id=user.id, detail={"ended": ended})
    db.commit()
    return ended
