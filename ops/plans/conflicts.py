"""Finding a plan's conflicts, in SQL from indexed columns, and telling both sides without showing either plan.

Two active plans conflict when their time windows overlap and either their circles touch (the distance
between the centres is within the sum of the radii) or they share a target key. The database answers
from indexed columns: the window, a lat/lon bounding box around the plan (wide enough for any
radius) and the (kind, value) index of targets; the few candidates with a place get the exact
haversine distance here. Plans of the same team never conflict with each other (the team knows both).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import and_, false, func, or_, select

from ops import audit, vocab
from ops.inbox import services as inbox
from ops.models import Agency, Team
from ops.models_plans import Plan, PlanConflict, PlanTarget
from ops.plans.checks import MAX_RADIUS_KM

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.19  # one degree of latitude, and of longitude at the equator


@dataclass(frozen=True)
class Notice:
    """What the saver is told of one conflict: who to call, nothing of the other plan."""

    agency: str
    team: str  # the other team, when both plans are of one agency; else ""
    contact: str


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _box(plan: Plan):
    """A clause: plans whose centre lies in a box around `plan` wide enough for its radius plus any other's."""
    reach = (plan.radius_km + MAX_RADIUS_KM) / KM_PER_DEGREE
    lon_reach = min(180.0, reach / max(math.cos(math.radians(plan.lat)), 0.01))
    exact_lat = func.abs(Plan.lat - plan.lat) <= (plan.radius_km + Plan.radius_km) / KM_PER_DEGREE
    return and_(
        Plan.lat.between(plan.lat - reach, plan.lat + reach),
        Plan.lon.between(plan.lon - lon_reach, plan.lon + lon_reach),
        exact_lat,
    )


def _sharing_targets(plan: Plan, keys: list[tuple[str, str]]):
    """A subquery: ids of plans holding one of these target keys (the (kind, value) index)."""
    wanted = or_(*(and_(PlanTarget.kind == kind, PlanTarget.value == value) for kind, value in keys))
    return select(PlanTarget.plan_id).where(wanted, PlanTarget.plan_id != plan.id)


def find(db, plan: Plan, keys: list[tuple[str, str]]) -> list[tuple[Plan, bool, bool]]:
    """(other plan, on place, on target) for every active plan that conflicts with `plan`."""
    reasons = []
    if plan.lat is not None:
        reasons.append(_box(plan))
    sharing = set()
    if keys:
        sharing = set(db.execute(_sharing_targets(plan, keys)).scalars())
        reasons.append(Plan.id.in_(sharing) if sharing else false())
    if not reasons:
        return []
    query = select(Plan).where(
        Plan.status == "active",
        Plan.id != plan.id,
        Plan.owner_team_id != plan.owner_team_id,
        Plan.starts_at < plan.ends_at,
        Plan.ends_at > plan.starts_at,
        or_(*reasons),
    )
    found = []
    for other in db.execute(query).scalars():
        on_place = plan.lat is not None and other.lat is not None and _touch(plan, other)
        on_target = other.id in sharing
        if on_place or on_target:
            found.append((other, on_place, on_target))
    return found


def _touch(a: Plan, b: Plan) -> bool:
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= a.radius_km + b.radius_km


def check_and_tell(db, user, plan: Plan, keys: list[tuple[str, str]]) -> list[Notice]:
    """Find the conflicts of `plan`, log the new ones, tell both agencies' supervisors; the saver's notices."""
    notices = []
    for other, on_place, on_target in find(db, plan, keys):
        notices.append(notice(db, plan, other))
        if _logged(db, plan, other):
            continue
        conflict = PlanConflict(
            plan_a_id=plan.id,
            plan_b_id=other.id,
            agency_a_id=plan.owner_agency_id,
            agency_b_id=other.owner_agency_id,
            on_place=on_place,
            on_target=on_target,
        )
        db.add(conflict)
        db.flush()
        _tell_supervisors(db, plan, other)
        detail = {"plan_a": plan.id, "plan_b": other.id, "on_place": on_place, "on_target": on_target}
        audit.record(
            db,
            "plan_conflict",
            user=user,
            object_type="planconflict",
            object_id=conflict.id,
            object_agency_id=other.owner_agency_id,
            detail=detail,
        )
    return notices


def _logged(db, a: Plan, b: Plan) -> bool:
    pair = or_(
        and_(PlanConflict.plan_a_id == a.id, PlanConflict.plan_b_id == b.id),
        and_(PlanConflict.plan_a_id == b.id, PlanConflict.plan_b_id == a.id),
    )
    return db.execute(select(PlanConflict.id).where(pair)).first() is not None


def notice(db, mine: Plan, other: Plan) -> Notice:
    same_agency = mine.owner_agency_id == other.owner_agency_id
    team = vocab.local_name(db.get(Team, other.owner_team_id)) if same_agency else ""
    return Notice(vocab.local_name(db.get(Agency, other.owner_agency_id)), team, other.duty_contact)


def _tell_supervisors(db, a: Plan, b: Plan) -> None:
    """Each agency's supervisors hear who to call on the other side, with a link to their own plan only."""
    for mine, other in ((a, b), (b, a)):
        facts = notice(db, mine, other)
        params = {"agency": facts.agency, "team": facts.team, "contact": facts.contact}
        kind = "plan_conflict_team" if facts.team else "plan_conflict"
        inbox.notify(db, inbox.supervisors_of(db, mine.owner_agency_id), kind, params, link=f"/plans/{mine.id}")
