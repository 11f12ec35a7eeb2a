"""The application's clock: one place that says what time it is.

Everything that decides by time — session expiry, re-authentication windows,
two-factor codes, the half-signed-in state, timestamps written to the database —
asks `now()`. Tests freeze or move the clock with `freeze()` / `advance()` instead
of sleeping; production never calls them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_frozen: datetime | None = None

# The earliest moment a reported event (an operation's start or end, a seizure) can have happened,
# for the form, the API and the importer alike: the agencies exist since 1991, and a year before
# that is a typo. Midnight in Tashkent, the zone the import format's times are written in.
EARLIEST_EVENT = datetime(1991, 1, 1, tzinfo=ZoneInfo("Asia/Tashkent"))


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(at: datetime) -> None:
    """Stop the clock at `at` (aware). For tests."""
    if at.tzinfo is None:
        raise ValueError("freeze() needs a timezone-aware datetime")
    global _frozen
    _frozen = at.astimezone(UTC)


def advance(**delta: float) -> datetime:
    """Move a frozen clock forward, e.g. advance(minutes=31). For tests."""
    if _frozen is None:
        raise RuntimeError("the clock is not frozen")
    freeze(_frozen + timedelta(**delta))
    return _frozen


def unfreeze() -> None:
    global _frozen
    _frozen = None
