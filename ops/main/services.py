"""What the home page lists for the signed-in user, each list filtered by the policy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl

from sqlmodel import select

from ops import policy
from ops.db import session
from ops.models import Agency, AuditEvent, Operation

HOME_LIST_SIZE = 10


def _operations(user, *conditions, order=None):
    query = (
        select(Operation)
        .where(policy.visible_operations(user), *conditions)
        .order_by(*(order if order is not None else (Operation.updated_at.desc(),)), Operation.id.desc())
        .limit(HOME_LIST_SIZE)
    )
    return session().exec(query).all()


@dataclass
class RecentSearch:
    query: str  # the query string, to open it again
    words: str
    filters: int


def recent_searches(user, size: int = 5) -> list[RecentSearch]:
    """The user's own last searches, newest first, each once: read from their audit events, which hold them."""
    events = session().exec(
        select(AuditEvent.detail)
        .where(AuditEvent.user_id == user.id, AuditEvent.action == "search", AuditEvent.outcome == "ok")
        .order_by(AuditEvent.seq.desc())
        .limit(50)
    )
    found: dict[str, RecentSearch] = {}
    for detail in events:
        query = _query_of(detail)
        if query is None or query in found:
            continue
        pairs = [(k, v) for k, v in parse_qsl(query) if k not in ("sort", "after", "page")]
        words = next((v for k, v in pairs if k == "q"), "")
        found[query] = RecentSearch(query, words, sum(1 for k, _v in pairs if k != "q"))
        if len(found) == size:
            break
    return list(found.values())


def _query_of(detail: str) -> str | None:
    try:
        query = json.loads(detail or "{}").get("query")
    except (ValueError, AttributeError):
        return None
    return query or None


def counterpart_office(user) -> Agency:
    """A foreign partner's office, for its home page (what it will receive, in which language)."""
    return session().get(Agency, user.agency_id)


def home_lists(user) -> dict[str, list[Operation]]:
    if not policy.can(user, "view"):
        return {}
    teams = policy.team_ids(user)
    lists = {}
    if teams and policy.can(user, "create"):  # an analyst's HQ team writes no drafts: no always-empty lists
        lists["drafts"] = _operations(user, Operation.owner_team_id.in_(teams), Operation.status == "draft")
        lists["returned"] = _operations(user, Operation.owner_team_id.in_(teams), Operation.status == "returned")
    if policy.can(user, "review"):
        lists["to_review"] = _operations(
            user, Operation.owner_agency_id == user.agency_id, Operation.status == "submitted"
        )
    lists["recent"] = _operations(user, order=(Operation.started_at.desc(),))  # in the order they happened
    return lists
