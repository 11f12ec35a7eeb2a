"""The load test's people and drafts, in the loaded database: analysts of every agency, team leads of the State
Customs Committee each with drafts of their own team (imported records put back to draft, each run anew)."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlmodel import Session

from bench.data import app_for
from ops import passwords
from ops.models import Agency, Operation, TeamMember, User

PASSWORD = "load-test-password-42"
DRAFTS_PER_LEAD = 40
EXPORT_LIMIT = 10_000


def _user(db: Session, username: str, role: str, agency_id: int, password_hash: str) -> User:
    user = db.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        user = User(username=username, full_name=username, role=role, agency_id=agency_id, password_hash=password_hash)
        db.add(user)
        db.flush()
    return user


def _teams_with_most_records(db: Session, agency_id: int, count: int) -> list[int]:
    rows = db.execute(
        select(Operation.owner_team_id)
        .where(Operation.owner_agency_id == agency_id)
        .group_by(Operation.owner_team_id)
        .order_by(func.count().desc())
        .limit(count)
    ).scalars()
    return list(rows)


def people(url: str, analysts: int, leads: int) -> dict:
    """Create (once) the accounts; put each lead's drafts back to draft; the plan's accounts part."""
    app = app_for(url)
    with app.app_context(), Session(app.extensions["ops_engine"], expire_on_commit=False) as db:
        agencies = db.execute(select(Agency).order_by(Agency.id)).scalars().all()
        scc = next(a for a in agencies if a.code == "SCC")
        password_hash = passwords.hash_password(PASSWORD)  # once: argon2 is slow on purpose
        analyst_names = [f"load.analyst.{n}" for n in range(analysts)]
        for n, name in enumerate(analyst_names):
            _user(db, name, "analyst", agencies[n % len(agencies)].id, password_hash)
        teams = _teams_with_most_records(db, scc.id, max(1, leads // 2))
        plan_leads = []
        for n in range(leads):
            team_id, share = teams[n % len(teams)], n // len(teams)  # leads of one team share its records out
            lead = _user(db, f"load.lead.{n}", "lead", scc.id, password_hash)
            if not db.execute(select(TeamMember).where(TeamMember.user_id == lead.id)).first():
                db.add(TeamMember(team_id=team_id, user_id=lead.id))
            drafts = _drafts(db, scc.id, team_id, share)
            plan_leads.append({"username": lead.username, "drafts": drafts})
        db.commit()
    app.extensions["ops_engine"].dispose()
    return {"password": PASSWORD, "analysts": analyst_names, "leads": plan_leads}


def _drafts(db: Session, agency_id: int, team_id: int, share: int) -> list[int]:
    ids = list(
        db.execute(
            select(Operation.id)
            .where(Operation.owner_agency_id == agency_id, Operation.owner_team_id == team_id)
            .order_by(Operation.id)
            .offset(share * DRAFTS_PER_LEAD)
            .limit(DRAFTS_PER_LEAD)
        ).scalars()
    )
    # the database's triggers carry the status to the seizures' copies, as for any change of status
    db.execute(update(Operation).where(Operation.id.in_(ids)).values(status="draft", submitted_at=None))
    return ids


def export_filter(url: str, candidates: list[str]) -> str:
    """The filter with the most rows, at most EXPORT_LIMIT, for an analyst of the State Customs Committee."""
    from werkzeug.datastructures import MultiDict

    from ops.db import session
    from ops.search import services
    from ops.search.sql import backends, facets

    app = app_for(url)
    best = (candidates[-1], -1)
    with app.test_request_context():
        db = session()
        user = db.execute(select(User).where(User.username == "load.analyst.0")).scalar_one()
        for args in candidates:
            query, scope, _errors = services.checked_query(db, user, MultiDict([p.split("=") for p in args.split("&")]))
            total = facets.compute(db, query, scope, backends.for_session(db)).totals.seizures
            if best[1] < total <= EXPORT_LIMIT:
                best = (args, total)
    app.extensions["ops_engine"].dispose()
    return best[0]
