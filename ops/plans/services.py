"""Planned operations: enter, change, cancel, read, close; every change checks for conflicts.

Every read goes through policy.visible_plans (their own agency's team and supervisors only);
every change and read is audited in its transaction. A plan whose window is over is closed
(status expired) when plans are read and by `ops plans close`; cancelled and expired plans
stay, with their conflicts, in the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm.exc import StaleDataError

from ops import audit, clock, policy
from ops.models_plans import Plan, PlanConflict, PlanTarget
from ops.plans import conflicts
from ops.plans.checks import PlanInput, check


class Refused(Exception):
    """Bad input: `errors` say what, nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


class Stale(Exception):
    """Someone else changed the plan since it was read: nothing was written."""


@dataclass
class Saved:
    plan: Plan
    notices: list[conflicts.Notice]


def create(db, user, data: PlanInput) -> Saved:
    errors, checked = check(data, policy.team_ids(user), clock.now())
    if errors:
        raise Refused(errors)
    plan = Plan(owner_agency_id=user.agency_id, created_by_id=user.id, duty_contact="", kind="", **_times(data))
    _apply(plan, data, checked)
    db.add(plan)
    db.flush()
    _set_targets(db, plan, checked.keys)
    audit.record(db, "plan_create", user=user, object_type="plan", object_id=plan.id, object_agency_id=user.agency_id)
    notices = conflicts.check_and_tell(db, user, plan, [(k, v) for k, v, _t in checked.keys])
    db.commit()
    return Saved(plan, notices)


def update_plan(db, user, plan: Plan, data: PlanInput, version: int) -> Saved:
    team_ids = policy.team_ids(user) | {plan.owner_team_id}  # a supervisor keeps the plan's team
    errors, checked = check(data, team_ids, clock.now())
    if errors:
        raise Refused(errors)
    if version != plan.version:
        raise Stale()
    for name, value in _times(data).items():
        setattr(plan, name, value)
    _apply(plan, data, checked)
    plan.updated_at = clock.now()
    try:
        db.flush()
    except StaleDataError as error:
        db.rollback()
        raise Stale() from error
    db.execute(delete(PlanTarget).where(PlanTarget.plan_id == plan.id))
    _set_targets(db, plan, checked.keys)
    audit.record(db, "plan_update", user=user, object_type="plan", object_id=plan.id, object_agency_id=user.agency_id)
    notices = conflicts.check_and_tell(db, user, plan, [(k, v) for k, v, _t in checked.keys])
    db.commit()
    return Saved(plan, notices)


def _times(data: PlanInput) -> dict:
    return {"starts_at": data.starts_at, "ends_at": data.ends_at, "owner_team_id": data.team_id}


def _apply(plan: Plan, data: PlanInput, checked) -> None:
    plan.kind = data.kind
    plan.duty_contact = " ".join(data.duty_contact.split())
    plan.place_code, plan.lat, plan.lon, plan.radius_km = (
        checked.place_code,
        checked.lat,
        checked.lon,
        checked.radius_km,
    )


def _set_targets(db, plan: Plan, keys) -> None:
    for kind, value, typed in keys:
        db.add(PlanTarget(plan_id=plan.id, kind=kind, value=value, typed=typed))
    db.flush()


def cancel(db, user, plan: Plan, version: int) -> None:
    if version != plan.version:
        raise Stale()
    plan.status, plan.closed_at, plan.updated_at = "cancelled", clock.now(), clock.now()
    try:
        db.flush()
    except StaleDataError as error:
        db.rollback()
        raise Stale() from error
    audit.record(db, "plan_cancel", user=user, object_type="plan", object_id=plan.id, object_agency_id=user.agency_id)
    db.commit()


def close_expired(db, user=None) -> int:
    """Close the active plans whose window is over (status expired); returns how many. Audited when any."""
    now = clock.now()
    over = (Plan.status == "active", Plan.ends_at <= now)
    ids = list(db.execute(select(Plan.id).where(*over)).scalars())
    if not ids:
        return 0
    db.execute(
        update(Plan)
        .where(Plan.id.in_(ids), *over)
        .values(status="expired", closed_at=now, version=Plan.version + 1)
        .execution_options(synchronize_session=False)
    )
    audit.record(db, "plans_expire", user=user, object_type="plan", detail={"plans": len(ids)})
    db.commit()
    db.expire_all()
    return len(ids)


def mine(db, user) -> list[Plan]:
    """The plans the user may see, the active first, soonest first; the read is audited."""
    close_expired(db, user)
    query = (
        select(Plan)
        .where(policy.visible_plans(user))
        .order_by((Plan.status != "active"), Plan.starts_at.desc(), Plan.id.desc())
        .limit(200)
    )
    plans = list(db.execute(query).scalars())
    audit.record(db, "plan_list", user=user, object_type="plan", detail={"shown": len(plans)})
    db.commit()
    return plans


def read(db, user, plan: Plan) -> None:
    audit.record(
        db, "plan_view", user=user, object_type="plan", object_id=plan.id, object_agency_id=plan.owner_agency_id
    )
    db.commit()


def targets(db, plan: Plan) -> list[PlanTarget]:
    query = select(PlanTarget).where(PlanTarget.plan_id == plan.id).order_by(PlanTarget.kind, PlanTarget.typed)
    return list(db.execute(query).scalars())


@dataclass
class LogRow:
    """One conflict as one side sees it: its own plan, who to call on the other side, who marked it resolved."""

    conflict: PlanConflict
    plan: Plan
    notice: conflicts.Notice
    resolved_here: bool
    resolved_there: bool


def log_for(db, user, plan: Plan | None = None) -> list[LogRow]:
    """The conflicts of the plans the user may see (of one plan, when given), from the user's side."""
    mine_ = select(Plan.id).where(policy.visible_plans(user))
    if plan is not None:
        mine_ = mine_.where(Plan.id == plan.id)
    query = (
        select(PlanConflict)
        .where(or_(PlanConflict.plan_a_id.in_(mine_), PlanConflict.plan_b_id.in_(mine_)))
        .order_by(PlanConflict.detected_at.desc(), PlanConflict.id.desc())
        .limit(200)
    )
    visible = set(db.execute(mine_).scalars())
    rows = []
    for conflict in db.execute(query).scalars():
        here_is_a = conflict.plan_a_id in visible
        own = db.get(Plan, conflict.plan_a_id if here_is_a else conflict.plan_b_id)
        other = db.get(Plan, conflict.plan_b_id if here_is_a else conflict.plan_a_id)
        a_done, b_done = conflict.resolved_a_at is not None, conflict.resolved_b_at is not None
        notice = conflicts.notice(db, own, other)
        rows.append(LogRow(conflict, own, notice, a_done if here_is_a else b_done, b_done if here_is_a else a_done))
    return rows


def resolve(db, user, conflict: PlanConflict, plan: Plan) -> None:
    """The user's side (the side of `plan`, which they may see) marks the conflict resolved."""
    now = clock.now()
    if plan.id == conflict.plan_a_id and conflict.resolved_a_at is None:
        conflict.resolved_a_at = now
    elif plan.id == conflict.plan_b_id and conflict.resolved_b_at is None:
        conflict.resolved_b_at = now
    else:
        return
    audit.record(
        db,
        "plan_conflict_resolve",
        user=user,
        object_type="planconflict",
        object_id=conflict.id,
        detail={"plan": plan.id},
    )
    db.commit()
