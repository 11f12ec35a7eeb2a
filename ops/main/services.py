"""What the home page lists for the signed-in user, each list filtered by the policy."""

from __future__ import annotations

from sqlmodel import select

from ops import policy
from ops.db import session
from ops.models import Operation

HOME_LIST_SIZE = 10


def _operations(user, *conditions):
    query = (
        select(Operation)
        .where(policy.visible_operations(user), *conditions)
        .order_by(Operation.updated_at.desc())
        .limit(HOME_LIST_SIZE)
    )
    return session().exec(query).all()


def home_lists(user) -> dict[str, list[Operation]]:
    if not policy.can(user, "view"):
        return {}
    teams = policy.team_ids(user)
    lists = {}
    if teams:
        lists["drafts"] = _operations(user, Operation.owner_team_id.in_(teams), Operation.status == "draft")
        lists["returned"] = _operations(user, Operation.owner_team_id.in_(teams), Operation.status == "returned")
    if policy.can(user, "review"):
        lists["to_review"] = _operations(
            user, Operation.owner_agency_id == user.agency_id, Operation.status == "submitted"
        )
    lists["recent"] = _operations(user)
    return lists
