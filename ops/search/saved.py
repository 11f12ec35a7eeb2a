"""Saved searches: a name and a query string per user, and how many matching records are new since the last look.

"New" means added, or released (approved), after the user last opened the
saved search, and visible to them now. They are counted as every other total
is (ops/search/sql/counting.py): a seizure event once, and a seizure only where
a commodity the search names is its own. A saved search may also be watched for
news (`news`, "Tell me about new records"): approvals and imports then write
inbox items (ops.search.news).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, or_, select
from werkzeug.datastructures import MultiDict

from ops import audit, policy
from ops.models import Operation, SavedSearch, Seizure, utcnow
from ops.search.language import query as query_module
from ops.search.sql import backends, counting, filters
from ops.search.sql.filters import Scope

MAX_PER_USER = 100


class SavedSearchError(ValueError):
    pass


@dataclass
class SavedWithNews:
    saved: SavedSearch
    new: int | None  # None: the query no longer reads (e.g. an agency code was removed)


def _args(query_string: str) -> MultiDict:
    return MultiDict(parse_qsl(query_string, keep_blank_values=False))


def canonical(db, user, query_string: str) -> str:
    """The query string as the search page writes it; raises SavedSearchError when it does not parse."""
    query, errors = query_module.parse(_args(query_string))
    errors.update(filters.check_codes(query, Scope.of(db, user)))
    if errors or not query.has_criteria():
        raise SavedSearchError(query_string)
    return urlencode(query.to_args(paging=False))


def create(db, user, name: str, query_string: str, news: bool = False) -> SavedSearch:
    count = db.execute(select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user.id)).scalar()
    if count >= MAX_PER_USER:
        raise SavedSearchError("too many")
    saved = SavedSearch(user_id=user.id, name=name.strip(), query=canonical(db, user, query_string), news=news)
    db.add(saved)
    db.flush()
    audit.record(
        db,
        "save_search",
        user=user,
        object_type="savedsearch",
        object_id=saved.id,
        detail={"name": saved.name, "query": saved.query, "news": saved.news},
    )
    db.commit()
    return saved


def set_news(db, user, saved: SavedSearch, news: bool) -> bool:
    """Turn "Tell me about new records" on or off; False when it was so already (nothing written)."""
    if saved.news == news:
        return False
    saved.news = news
    db.add(saved)
    detail = {"name": saved.name, "news": news}
    audit.record(db, "saved_search_news", user=user, object_type="savedsearch", object_id=saved.id, detail=detail)
    db.commit()
    return True


def own(db, user, saved_id: int) -> SavedSearch:
    """The user's saved search, or 404 (someone else's is as absent as a missing one)."""
    return policy.load(db, SavedSearch, saved_id, user, "keep_saved_searches")


def mark_seen(db, user, saved: SavedSearch) -> None:
    saved.last_seen_at = utcnow()
    db.add(saved)
    db.commit()


def delete(db, user, saved: SavedSearch) -> None:
    audit.record(
        db, "delete_saved_search", user=user, object_type="savedsearch", object_id=saved.id, detail={"name": saved.name}
    )
    db.delete(saved)
    db.commit()


def new_count(db, user, saved: SavedSearch, scope: Scope) -> int | None:
    query, errors = query_module.parse(_args(saved.query))
    errors.update(filters.check_codes(query, scope))
    if errors:
        return None
    since = saved.last_seen_at
    released_since = select(Operation.id).where(Operation.approved_at > since)
    stmt = filters.matching(query, scope, backends.for_session(db), func.count()).where(
        or_(Seizure.created_at > since, Seizure.operation_id.in_(released_since)),
        counting.counted_clause(query.terms, user),
    )
    return db.execute(stmt).scalar()


def list_with_news(db, user) -> list[SavedWithNews]:
    scope = Scope.of(db, user)
    saved = (
        db.execute(select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.name)).scalars().all()
    )
    return [SavedWithNews(item, new_count(db, user, item, scope)) for item in saved]
