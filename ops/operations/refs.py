"""Record references such as IMT-TER-2026-0042: the team's code, the year, a running number.

The number comes from RefCounter with one atomic upsert (INSERT ... ON CONFLICT
DO UPDATE ... RETURNING), the same statement on SQLite and PostgreSQL. On
PostgreSQL the counter row stays locked until the caller commits, so two
leads of one team creating records at the same moment get consecutive
numbers; on SQLite the statement takes the database's single write lock.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from ops.models import Operation, RefCounter, Team


def _bump(db: Session, team_id: int, year: int) -> int:
    dialect = sqlite if db.get_bind().dialect.name == "sqlite" else postgresql
    statement = (
        dialect.insert(RefCounter)
        .values(team_id=team_id, year=year, last=1)
        .on_conflict_do_update(index_elements=["team_id", "year"], set_={"last": RefCounter.last + 1})
        .returning(RefCounter.last)
    )
    return db.execute(statement).scalar_one()


def format_ref(team_code: str, year: int, number: int) -> str:
    return f"{team_code}-{year}-{number:04d}"


def next_ref(db: Session, team: Team, year: int) -> str:
    """The next free reference of `team` for `year`, inside the caller's transaction.

    Imported records carry references of their own; a number already taken
    by one is skipped rather than reused.
    """
    while True:
        ref = format_ref(team.code, year, _bump(db, team.id, year))
        if db.execute(select(Operation.id).where(Operation.ref == ref)).first() is None:
            return ref
