"""The per-account limit on sign-in, two-factor and confirmation attempts, counted in the database.

Each attempt on an existing account is a `loginattempt` row, committed before it is
counted: attempts landing at once on several server processes all see each other's
rows, so at worst both are refused, never both let through. The limits are those of
OPS_LOGIN_ACCOUNT_RATE_LIMIT ("5 per minute; 30 per hour"), each a sliding window.
An unknown user name gets no row (the per-address limit in Flask-Limiter covers it).
"""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from limits import parse_many
from sqlalchemy import delete, func, insert, select

from ops import clock
from ops.db import engine
from ops.models import LoginAttempt

TABLE = LoginAttempt.__table__


def _windows() -> list[tuple[int, int]]:
    """(allowed attempts, window in seconds) for each limit of the setting."""
    return [(item.amount, item.get_expiry()) for item in parse_many(current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"])]


def attempt(user_id: int) -> int | None:
    """Count one attempt on the account; None when within every limit, else the seconds to wait."""
    windows = _windows()
    now = clock.now()
    longest = max(seconds for _amount, seconds in windows)
    with engine().begin() as conn:  # committed before counting, see the module's docstring
        conn.execute(
            delete(TABLE).where(TABLE.c.user_id == user_id, TABLE.c.attempted_at < now - timedelta(seconds=longest))
        )
        conn.execute(insert(TABLE).values(user_id=user_id, attempted_at=now))
    wait, refused = 0, False
    with engine().connect() as conn:
        for amount, seconds in windows:
            since = now - timedelta(seconds=seconds)
            recent = select(TABLE.c.attempted_at).where(TABLE.c.user_id == user_id, TABLE.c.attempted_at >= since)
            count = conn.execute(select(func.count()).select_from(recent.subquery())).scalar_one()
            if count > amount:
                refused = True
                # the window frees a place when the attempt `amount` places before the newest leaves it
                oldest = conn.execute(recent.order_by(TABLE.c.attempted_at.desc()).offset(amount).limit(1)).scalar_one()
                wait = max(wait, math.ceil((oldest + timedelta(seconds=seconds) - now).total_seconds()))
    return max(wait, 1) if refused else None
