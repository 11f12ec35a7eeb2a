"""Saved searches watched for new records ("Tell me about new records"), and the inbox items they cause.

The review step (a record approved) and the importer (records imported, approved) call `tell` in their own
transaction with the seizures that just became new. Each saved search with `news` on, of an owner who is
active and may still search, is asked once: the search page's own SQL (filters.matching: the words, the
filters, the owner's visibility and whose persons they may search) restricted to those seizures, counting
the distinct records. A record the owner may not read never matches, so it is neither counted nor named.
One item per saved search per call, so an import gives at most one item per saved search; it links to
the saved search, whose opening marks it seen. Searches without the flag cost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl

from sqlalchemy import ColumnElement, distinct, func, select
from werkzeug.datastructures import MultiDict

from ops import policy
from ops.inbox import services as inbox
from ops.models import SavedSearch, Seizure, User
from ops.search.language import query as query_module
from ops.search.sql import backends, filters
from ops.search.sql.filters import Scope

KIND = "saved_search_news"


@dataclass(frozen=True)
class NewSeizures:
    """The seizures that became new: an id range (low, high] that the full-text index reads alone, and the
    exact condition within it."""

    low: int
    high: int
    condition: ColumnElement


def of_operation(db, operation_id: int) -> NewSeizures | None:
    """The seizures of one record (just approved); None when it has none."""
    low, high = db.execute(
        select(func.min(Seizure.id), func.max(Seizure.id)).where(Seizure.operation_id == operation_id)
    ).one()
    if low is None:
        return None
    return NewSeizures(low - 1, high, Seizure.operation_id == operation_id)


def of_import(low: int, high: int, owner_agency_id: int, created_at) -> NewSeizures:
    """The seizures an import wrote: ids it took in [low, high], stamped with its moment, of its owner (ids
    from a shared sequence may interleave with another writer's; the moment and the owner tell them apart)."""
    condition = (Seizure.created_at == created_at) & (Seizure.owner_agency_id == owner_agency_id)
    return NewSeizures(low - 1, high, condition)


def watched(db) -> list[tuple[SavedSearch, User]]:
    query = (
        select(SavedSearch, User)
        .join(User, User.id == SavedSearch.user_id)
        .where(SavedSearch.news.is_(True), User.is_active.is_(True))
        .order_by(SavedSearch.id)
    )
    return [(saved, user) for saved, user in db.execute(query).all()]


def tell(db, new: NewSeizures | None) -> int:
    """One inbox item per watched saved search that these seizures match for its owner; returns how many."""
    if new is None:
        return 0
    searches = watched(db)
    if not searches:
        return 0
    scope, backend = Scope.of(db, None), backends.for_session(db)  # codes once; the owner goes in per search
    written = 0
    for saved, owner in searches:
        count = _new_records(db, saved, replace(scope, user=owner), backend, new)
        if count:
            params = {"name": saved.name, "count": count}
            written += inbox.notify(db, [owner.id], KIND, params, link=f"/search/saved/{saved.id}")
    return written


def _new_records(db, saved: SavedSearch, scope: Scope, backend, new: NewSeizures) -> int:
    """How many records of these seizures the saved search finds for its owner (0 when it no longer reads)."""
    owner = scope.user
    if not (policy.can(owner, "search") and policy.can(owner, "keep_saved_searches")):
        return 0
    query, errors = query_module.parse(MultiDict(parse_qsl(saved.query, keep_blank_values=False)))
    errors.update(filters.check_codes(query, scope))
    if errors or not query.has_criteria():
        return 0
    records = func.count(distinct(Seizure.operation_id))
    stmt = filters.matching(query, scope, backend, records, ids=(new.low, new.high)).where(new.condition)
    return db.execute(stmt).scalar() or 0
