"""Free text as a reader may see it: the one place that gathers a record's identities and masks them.

Narratives, titles, concealment details, revision values and attachment file
names name people. A reader who may not see a record's persons
(policy.persons_visible) gets every such text through `shown()`, with the
persons' names, document numbers and birth dates masked
(normalize.mask_identities). Every channel calls it: record page, history,
operation lists, search rows, correlations, lookups, exports and the API.

The owning team can ask for the record page "as partners see it"
(`partners_view()`): for that request, texts are masked as for a reader of
another agency without identities.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from flask import g
from flask_login import current_user
from sqlalchemy import select

from ops import normalize, phones, policy
from ops.db import session
from ops.models import Operation, Person


def of_operations(db, operation_ids: Iterable[int]) -> dict[int, normalize.Identities]:
    """The identities of each operation's persons (every operation asked for has an entry)."""
    ids = sorted(set(operation_ids))
    gathered: dict[int, tuple[list, list, list, list]] = {i: ([], [], [], []) for i in ids}
    for start in range(0, len(ids), 500):  # bounded IN lists
        rows = db.execute(
            select(
                Person.operation_id, Person.full_name, Person.document_number, Person.birth_date, Person.phones
            ).where(Person.operation_id.in_(ids[start : start + 500]))
        )
        for operation_id, full_name, document, born, numbers in rows:
            names, documents, dates, phone_numbers = gathered[operation_id]
            names.append(full_name)
            if document:
                documents.append(document)
            if born:
                dates.append(born)
            phone_numbers.extend(phones.stored(numbers))
    return {
        i: normalize.Identities(tuple(n), tuple(dict.fromkeys(d)), tuple(dict.fromkeys(b)), tuple(dict.fromkeys(p)))
        for i, (n, d, b, p) in gathered.items()
    }


def of_operation(operation_id: int) -> normalize.Identities:
    """The identities of one operation's persons, read once per request (shown() masks with the same)."""
    return _cached(operation_id)


def _cached(operation_id: int) -> normalize.Identities:
    cache = g.setdefault("identities_by_operation", {})
    if operation_id not in cache:
        cache.update(of_operations(session(), [operation_id]))
    return cache[operation_id]


def prefetch(operation_ids: Iterable[int]) -> None:
    """Gather the identities of many operations in one query (lists, search pages) for shown()."""
    cache = g.setdefault("identities_by_operation", {})
    missing = [i for i in set(operation_ids) if i not in cache]
    if missing:
        cache.update(of_operations(session(), missing))


def partners_view(on: bool = True) -> None:
    """This request shows records as a reader of another agency without identities would see them."""
    g.as_partners = on


def hidden_for(user, operation: Operation) -> bool:
    """Must free text of `operation` be masked for `user`?"""
    return bool(g.get("as_partners")) or not policy.persons_visible(user, operation)


def shown(text: str | None, operation: Operation, user=None, past: normalize.Identities | None = None) -> str:
    """`text` of `operation` as `user` (by default the current user) may read it; `past`: identities of
    persons no longer on the record, which its history still names."""
    if not text:
        return text or ""
    if not hidden_for(user if user is not None else current_user, operation):
        return text
    return normalize.mask_identities(text, joined(_cached(operation.id), past) if past else _cached(operation.id))


def joined(first: normalize.Identities, second: normalize.Identities) -> normalize.Identities:
    return normalize.Identities(
        tuple(dict.fromkeys(first.names + second.names)),
        tuple(dict.fromkeys(first.documents + second.documents)),
        tuple(dict.fromkeys(first.birth_dates + second.birth_dates)),
        tuple(dict.fromkeys(first.phones + second.phones)),
    )


def of_revisions(revisions: Iterable) -> normalize.Identities:
    """The persons named in revisions' values (old and new): removed persons stay masked in the history."""
    people = [
        value
        for revision in revisions
        for change in json.loads(revision.changes or "[]")
        if str(change.get("field", "")).startswith("person")
        for value in (change.get("old"), change.get("new"))
        if isinstance(value, dict)
    ]
    return normalize.Identities(
        tuple(dict.fromkeys(p["full_name"] for p in people if p.get("full_name"))),
        tuple(dict.fromkeys(p["document_number"] for p in people if p.get("document_number"))),
        tuple(dict.fromkeys(_date(p.get("birth_date")) for p in people if _date(p.get("birth_date")))),
        tuple(dict.fromkeys(n for p in people for n in phones.stored(p.get("phones")))),
    )


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def may_read_remarks(user, operation: Operation) -> bool:
    """Return comments and other review remarks stay with the owning agency (policy action)."""
    return not g.get("as_partners") and policy.can(user, "view_review_remarks", operation)
