"""Years and months of the reader's calendar, computed in SQL.

A facet "2023" must count exactly the seizures that the date filter
2023-01-01..2023-12-31 (the reader's days) returns, so periods are taken in
the reader's time zone. PostgreSQL knows time zones (AT TIME ZONE); for
SQLite the zone's UTC offsets since 1970 are turned into one CASE over its
transitions, newest first, so that recent records take the first branch.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, literal, literal_column

from ops.models import Seizure

FORMATS = {"year": ("%Y", "YYYY"), "month": ("%Y-%m", "YYYY-MM")}
_FIRST, _LAST = datetime(1970, 1, 1, tzinfo=timezone.utc), datetime(2045, 1, 1, tzinfo=timezone.utc)


def _offset_minutes(zone: ZoneInfo, instant: datetime) -> int:
    return int(instant.astimezone(zone).utcoffset().total_seconds() // 60)


def _transition_after(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first minute in (low, high] whose offset differs from low's (bisection)."""
    before = _offset_minutes(zone, low)
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if _offset_minutes(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high.replace(second=0, microsecond=0)


@lru_cache(maxsize=64)
def offsets(zone_name: str) -> tuple[tuple[datetime, int], ...]:
    """(from this UTC instant on, offset in minutes), newest first."""
    zone = ZoneInfo(zone_name)
    spans, day = [(_FIRST, _offset_minutes(zone, _FIRST))], _FIRST
    while day < _LAST:
        following = day + timedelta(days=1)
        if _offset_minutes(zone, following) != spans[-1][1]:
            start = _transition_after(zone, day, following)
            spans.append((start, _offset_minutes(zone, start)))
        day = following
    return tuple(reversed(spans))


def _modifier(minutes: int) -> str:
    return f"{minutes:+d} minutes"


def period(dialect: str, zone: ZoneInfo, unit: str, column=Seizure.occurred_at):
    """SQL text 'YYYY' or 'YYYY-MM' of `column` in `zone`."""
    sqlite_format, pg_format = FORMATS[unit]
    if dialect == "postgresql":
        return func.to_char(func.timezone(literal(zone.key), column), literal_column(f"'{pg_format}'"))
    spans = offsets(zone.key)
    if len(spans) == 1:
        shift = literal(_modifier(spans[0][1]))
    else:
        whens = [(column >= literal(start, type_=column.type), _modifier(minutes)) for start, minutes in spans[:-1]]
        shift = case(*whens, else_=_modifier(spans[-1][1]))
    return func.strftime(literal(sqlite_format), column, shift)
