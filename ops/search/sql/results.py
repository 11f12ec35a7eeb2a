"""One page of results, and the details shown for each row.

Every order pages with a keyset: the last row's sort keys and id travel in
the URL (`after`, or `before` for the previous page), so a deep page costs
what the first costs and rows added meanwhile neither repeat nor vanish.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from ops import normalize, policy, seizure_events
from ops.models import Operation, Person, Seizure, Vehicle
from ops.search.language.query import SearchQuery
from ops.search.sql import counting, relevance
from ops.search.sql.filters import Scope, matching

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
    hidden_identities: normalize.Identities = field(default_factory=normalize.Identities)
    counted: bool = True  # counts in the totals (counting.py)
    text_only: list[str] = field(default_factory=list)  # commodity words found in the text, not the commodity
    also_reported: list[seizure_events.OtherReport] = field(default_factory=list)  # the same seizure event

    @property
    def narrative(self) -> str:
        """The narrative, with the persons' names taken out where the reader may not see them."""
        if self.persons_visible:
            return self.operation.narrative
        return self.masked(self.operation.narrative)

    def masked(self, text: str | None) -> str:
        """Any free text of the row (narrative, title, concealment detail) as the reader may see it."""
        if self.persons_visible:
            return text or ""
        return normalize.mask_identities(text, self.hidden_identities)


@dataclass
class Page:
    rows: list[Row]
    next_cursor: str = ""
    prev_cursor: str = ""


@dataclass(frozen=True)
class Key:
    expression: object
    descending: bool
    kind: str  # how the cursor carries it: "int", "time", "num"


def sort_keys(sort: str, terms) -> list[Key]:
    """The order of `sort`, before the id that breaks ties."""
    newest = Key(Seizure.occurred_at, True, "time")
    if sort == "relevance":
        return [Key(relevance.score(list(terms)), True, "int"), newest]
    if sort == "oldest":
        return [Key(Seizure.occurred_at, False, "time")]
    if sort == "largest":  # no kg-equivalent (cash, weapons) counts as -1: last
        return [Key(func.coalesce(Seizure.kg_equivalent, -1), True, "num")]
    return [newest]


def _with_id(keys: list[Key], id_column=Seizure.id) -> list[Key]:
    return keys + [Key(id_column, keys[-1].descending, "int")]


def encode_cursor(keys: list[Key], values) -> str:
    def text(key, value):
        return value.isoformat() if key.kind == "time" else str(value)

    raw = json.dumps([text(k, v) for k, v in zip(_with_id(keys), values, strict=False)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: list[Key]) -> list:
    readers = {"int": int, "time": datetime.fromisoformat, "num": Decimal}
    try:
        texts = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(texts, list) or len(texts) != len(keys) + 1:
            raise ValueError(cursor)
        values = [readers[key.kind](text) for key, text in zip(_with_id(keys), texts, strict=False)]
        if any(isinstance(v, datetime) and v.tzinfo is None for v in values):
            raise ValueError(cursor)
        return values
    except (ValueError, TypeError, ArithmeticError, UnicodeDecodeError, binascii.Error):
        raise CursorError(_l("This page link is not valid any more; start again from the first page.")) from None


def beyond(keys: list[Key], values: list, forward: bool, id_column=Seizure.id):
    """Rows after (forward) or before the cursor row, in lexicographic order of the keys."""
    keys = _with_id(keys, id_column)
    alternatives = []
    for n, key in enumerate(keys):
        greater = key.descending != forward
        step = key.expression > values[n] if greater else key.expression < values[n]
        alternatives.append(and_(*[k.expression == v for k, v in zip(keys[:n], values[:n], strict=False)], step))
    return or_(*alternatives)


def ordering(keys: list[Key], forward: bool, id_column=Seizure.id) -> list:
    return [k.expression.desc() if k.descending == forward else k.expression.asc() for k in _with_id(keys, id_column)]


def in_order(rows: list, keys: list[Key], forward: bool) -> list:
    """Rows of (sort keys..., id) in the order ordering() gives them in SQL, sorted here."""
    for n, key in reversed(list(enumerate(_with_id(keys)))):  # stable sorts, least significant key first
        rows = sorted(rows, key=lambda row: row[n], reverse=key.descending == forward)
    return rows


def find_page(db, query: SearchQuery, scope: Scope, backend) -> Page:
    keys = sort_keys(query.effective_sort, query.terms)
    forward = not query.before
    cursor = query.after or query.before
    stmt = matching(query, scope, backend, *[k.expression for k in _with_id(keys)])
    if cursor:
        stmt = stmt.where(beyond(keys, decode_cursor(cursor, keys), forward))
    found = db.execute(stmt.order_by(*ordering(keys, forward)).limit(PAGE_SIZE + 1)).all()
    return page_of(db, found, keys, forward, bool(cursor), scope, query.terms)


def page_of(db, found: list, keys: list[Key], forward: bool, cursor: bool, scope: Scope, terms=()) -> Page:
    """The page from up to PAGE_SIZE + 1 rows of (sort keys..., id) in order, with its links on."""
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    if not forward:
        found.reverse()
    page = Page(rows=_details(db, [row[-1] for row in found], scope, terms))
    if found:
        if more or not forward:
            page.next_cursor = encode_cursor(keys, found[-1])
        if (more and not forward) or (forward and cursor):
            page.prev_cursor = encode_cursor(keys, found[0])
    return page


def _details(db, seizure_ids: list[int], scope: Scope, terms=()) -> list[Row]:
    """The rows to show, in the given order, with persons only where the reader may see them,
    whether each counts, and the other agencies' reports of the same seizure event."""
    if not seizure_ids:
        return []
    persons_ok = policy.persons_clause(scope.user).label("persons_ok")
    counted = counting.counted_flag(terms, scope.user).label("counted")
    found = db.execute(
        select(Seizure, Operation, persons_ok, counted)
        .join(Operation, Operation.id == Seizure.operation_id)
        .where(Seizure.id.in_(seizure_ids))
    ).all()
    by_id = {
        s.id: Row(s, o, scope.agency_codes.get(s.owner_agency_id, ""), bool(ok), counted=bool(n))
        for s, o, ok, n in found
    }
    rows = [by_id[i] for i in seizure_ids if i in by_id]
    _attach_parties(db, rows)
    _attach_counting(db, rows, terms, scope)
    return rows


def _attach_counting(db, rows: list[Row], terms, scope: Scope) -> None:
    """Which commodity words a page's row matched only in its text; its linked reports (one query)."""
    named = counting.commodity_terms(terms)
    linked = seizure_events.linked_reports(db, scope.user, [row.seizure.id for row in rows])
    for row in rows:
        row.text_only = [" ".join(term.words) for term, codes in named if row.seizure.commodity not in codes]
        row.also_reported = linked.get(row.seizure.id, [])


def identities_of(persons: list[Person]) -> normalize.Identities:
    """The identities of these persons, for normalize.mask_identities."""
    return normalize.Identities(
        tuple(p.full_name for p in persons),
        tuple(p.document_number for p in persons if p.document_number),
        tuple(p.birth_date for p in persons if p.birth_date),
        tuple(n for p in persons for n in (p.phones or "").split()),
    )


def parties(db, operation_ids: set[int]) -> tuple[dict[int, list[str]], dict[int, list[Person]]]:
    """The vehicles' plates and the persons of these operations, by operation id, in the order entered."""
    plates, persons = {}, {}
    for operation_id, plate in db.execute(
        select(Vehicle.operation_id, Vehicle.plate).where(Vehicle.operation_id.in_(operation_ids)).order_by(Vehicle.id)
    ):
        plates.setdefault(operation_id, []).append(plate)
    for person in db.execute(
        select(Person).where(Person.operation_id.in_(operation_ids)).order_by(Person.id)
    ).scalars():
        persons.setdefault(person.operation_id, []).append(person)
    return plates, persons


def _attach_parties(db, rows: list[Row]) -> None:
    plates, persons = parties(db, {row.operation.id for row in rows})
    for row in rows:
        row.plates = list(dict.fromkeys(plates.get(row.operation.id, [])))
        own = persons.get(row.operation.id, [])
        if row.persons_visible:
            row.persons = own
        else:
            row.hidden_identities = identities_of(own)
