"""Post into and read users' inboxes.

Any feature posts with `notify(db, user_ids, kind, params, link=...)` inside the
transaction of the event that causes the item (so an item exists exactly when
its event was committed). `params` hold only what the message needs, never a
record's content for a user who may not read it; messages are composed when
shown (ops.inbox.present), in the reader's language. New kinds: add a message
to present.MESSAGES.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlmodel import Session

from ops import audit
from ops.models import InboxItem, User, utcnow

PER_PAGE = 20


class NotYours(LookupError):
    """The item does not exist or belongs to someone else (answered 404 alike)."""


def notify(
    db: Session,
    user_ids: Iterable[int],
    kind: str,
    params: dict | None = None,
    link: str = "",
    operation_id: int | None = None,
) -> int:
    """One item per user (each id once); returns how many were written. The caller commits."""
    text = json.dumps(params or {}, sort_keys=True, ensure_ascii=False, default=str)
    ids = sorted(set(user_ids))
    for user_id in ids:
        db.add(InboxItem(user_id=user_id, kind=kind, params=text, link=link, operation_id=operation_id))
    return len(ids)


def supervisors_of(db: Session, agency_id: int) -> list[int]:
    """The active supervisors of an agency: who answers for its records."""
    query = select(User.id).where(User.agency_id == agency_id, User.role == "supervisor", User.is_active)
    return list(db.execute(query).scalars())


def unread_count(db: Session, user) -> int:
    query = select(func.count()).select_from(InboxItem).where(InboxItem.user_id == user.id, InboxItem.read_at.is_(None))
    return db.execute(query).scalar_one()


@dataclass
class Page:
    items: list[InboxItem]
    total: int
    number: int
    pages: int


def page(db: Session, user, number: int = 1, per_page: int = PER_PAGE) -> Page:
    """The user's items, unread first, newest first within each."""
    total = db.execute(select(func.count()).select_from(InboxItem).where(InboxItem.user_id == user.id)).scalar_one()
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    items = db.execute(
        select(InboxItem)
        .where(InboxItem.user_id == user.id)
        .order_by(InboxItem.read_at.is_not(None), InboxItem.created_at.desc(), InboxItem.id.desc())
        .offset((number - 1) * per_page)
        .limit(per_page)
    ).scalars()
    return Page(list(items), total, number, pages)


def unread(db: Session, user, limit: int = 10) -> list[InboxItem]:
    query = (
        select(InboxItem)
        .where(InboxItem.user_id == user.id, InboxItem.read_at.is_(None))
        .order_by(InboxItem.created_at.desc(), InboxItem.id.desc())
        .limit(limit)
    )
    return list(db.execute(query).scalars())


def open_item(db: Session, user, item_id: int) -> InboxItem:
    """The user's own item, marked read (audited the first time)."""
    item = db.get(InboxItem, item_id)
    if item is None or item.user_id != user.id:
        raise NotYours()
    if item.read_at is None:
        db.execute(update(InboxItem).where(InboxItem.id == item.id).values(read_at=utcnow()))
        detail = {"kind": item.kind}
        audit.record(db, "inbox_read", user=user, object_type="inboxitem", object_id=item.id, detail=detail)
        db.commit()
        db.refresh(item)
    return item


def params(item: InboxItem) -> dict:
    try:
        found = json.loads(item.params or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
