"""One page of results, and the details shown for each row.

Date and quantity orders page with keysets (the last row's sort key and id
travel in the URL), so page 500 costs what page 1 costs. Best-match order
pages by number: ranking has to score every match anyway.
"""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from ops import normalize, policy
from ops.models import Operation, Person, Seizure, Vehicle
from ops.search.filters import Scope, matching
from ops.search.query import SearchQuery

PAGE_SIZE = 50


class CursorError(ValueError):
    pass


@dataclass
class Row:
    seizure: Seizure
    operation: Operation
    agency: str
    persons_visible: bool
    persons: list[Person] = field(default_factory=list)
    plates: list[str] = field(default_factory=list)
    hidden_identities: str = ""

    @property
    def narrative(self) -> str:
        """The narrative, with the persons' names taken out where the reader may not see them."""
        if self.persons_visible:
            return self.operation.narrative
        return normalize.mask_identities(self.operation.narrative, self.hidden_identities)


@dataclass
class Page:
    rows: list[Row]
    next_cursor: str = ""
    prev_cursor: str = ""
    page: int = 1
    has_next: bool = False


def _key_column(sort: str):
    return Seizure.kg_equivalent if sort == "largest" else Seizure.occurred_at


def encode_cursor(key, seizure_id: int) -> str:
    if isinstance(key, datetime):
        key = key.isoformat()
    elif isinstance(key, Decimal):
        key = str(key)
    raw = json.dumps([key, seizure_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str):
    try:
        key, seizure_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(seizure_id, int):
            raise ValueError
        if key is not None:
            key = Decimal(key) if sort == "largest" else datetime.fromisoformat(key)
        elif sort != "largest":
            raise ValueError
        return key, seizure_id
    except (ValueError, TypeError, json.JSONDecodeError, ArithmeticError):
        raise CursorError(_l("This page link is not valid any more; start again from the first page."))


def _beyond(sort: str, key, seizure_id: int, forward: bool):
    """Rows after (forward) or before the cursor row in the order of `sort`."""
    column = _key_column(sort)
    descending = sort in ("newest", "largest")
    later = descending != forward  # the comparison direction on the key
    if sort == "largest" and key is None:  # NULL quantities come last
        if forward:
            return and_(column.is_(None), Seizure.id < seizure_id)
        return or_(and_(column.is_(None), Seizure.id > seizure_id), column.isnot(None))
    step = column > key if later else column < key
    tie = and_(column == key, Seizure.id > seizure_id if later else Seizure.id < seizure_id)
    keep = or_(step, tie)
    if sort == "largest":
        keep = or_(keep, column.is_(None)) if forward else and_(keep, column.isnot(None))
    return keep


def _ordering(sort: str, forward: bool):
    column = _key_column(sort)
    descending = (sort in ("newest", "largest")) == forward
    if sort == "largest":
        return [column.desc().nulls_last(), Seizure.id.desc()] if forward else \
            [column.asc().nulls_first(), Seizure.id.asc()]
    return [column.desc(), Seizure.id.desc()] if descending else [column.asc(), Seizure.id.asc()]


def find_page(db, query: SearchQuery, scope: Scope, backend) -> Page:
    sort = query.effective_sort
    if sort == "relevance":
        return _relevance_page(db, query, scope, backend)
    forward = not query.before
    stmt = matching(query, scope, backend, Seizure.id, _key_column(sort))
    cursor = query.after or query.before
    if cursor:
        stmt = stmt.where(_beyond(sort, *decode_cursor(cursor, sort), forward))
    found = db.execute(stmt.order_by(*_ordering(sort, forward)).limit(PAGE_SIZE + 1)).all()
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    if not forward:
        found.reverse()
    page = Page(rows=_details(db, [row[0] for row in found], scope))
    if found:
        page.has_next = more if forward else True
        page.next_cursor = encode_cursor(found[-1][1], found[-1][0]) if page.has_next else ""
        has_prev = bool(cursor) if forward else more
        page.prev_cursor = encode_cursor(found[0][1], found[0][0]) if has_prev else ""
    return page


def _relevance_page(db, query: SearchQuery, scope: Scope, backend) -> Page:
    rank = backend.rank(list(query.terms))
    stmt = matching(query, scope, backend, Seizure.id).order_by(rank, Seizure.id)
    found = db.execute(stmt.offset((query.page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).scalars().all()
    return Page(rows=_details(db, found[:PAGE_SIZE], scope), page=query.page, has_next=len(found) > PAGE_SIZE)


def _details(db, seizure_ids: list[int], scope: Scope) -> list[Row]:
    """The rows to show, in the given order, with persons only where the reader may see them."""
    if not seizure_ids:
        return []
    persons_ok = policy.persons_clause(scope.user).label("persons_ok")
    found = db.execute(select(Seizure, Operation, persons_ok).join(Operation, Operation.id == Seizure.operation_id)
                       .where(Seizure.id.in_(seizure_ids))).all()
    by_id = {s.id: Row(s, o, scope.agency_codes.get(s.owner_agency_id, ""), bool(ok)) for s, o, ok in found}
    rows = [by_id[i] for i in seizure_ids if i in by_id]
    _attach_parties(db, rows)
    return rows


def _attach_parties(db, rows: list[Row]) -> None:
    operation_ids = {row.operation.id for row in rows}
    plates, persons = {}, {}
    for operation_id, plate in db.execute(select(Vehicle.operation_id, Vehicle.plate)
                                          .where(Vehicle.operation_id.in_(operation_ids)).order_by(Vehicle.id)):
        plates.setdefault(operation_id, []).append(plate)
    for person in db.execute(select(Person).where(Person.operation_id.in_(operation_ids))
                             .order_by(Person.id)).scalars():
        persons.setdefault(person.operation_id, []).append(person)
    for row in rows:
        row.plates = list(dict.fromkeys(plates.get(row.operation.id, [])))
        own = persons.get(row.operation.id, [])
        if row.persons_visible:
            row.persons = own
        else:
            row.hidden_identities = " ".join(f"{p.full_name} {p.document_number or ''}" for p in own)
