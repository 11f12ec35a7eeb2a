"""Watches, and the inbox items they cause.

`tell(db, operation_ids)` is called by the services that make records matter to
watchers — approval, amendment of an approved record, an import — in their
transaction. It reads the identifier index only. For each watching user it
counts the records that user may read and the approved records of other agencies
that give them a hit (policy.hits_clause); one inbox item per user per call
(so an import makes at most one per user), listing the watched values matched.
The item says which of the user's own values matched and how many records, and
links to the lookup (where a purpose is asked before any hit) or to the one
readable record.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from flask_babel import gettext as _
from sqlalchemy import and_, func, not_, select

from ops import audit, names, normalize, phones, policy
from ops.inbox import services as inbox
from ops.models import IdentifierKey, Operation, User, Watch

KINDS = ("plate", "document", "phone", "name")
MAX_PER_USER = 200
_CHUNK = 500


class Refused(Exception):
    """The watch cannot be added or removed; the message says why (nothing written)."""


def normal(kind: str, typed: str | None) -> str:
    """The watched value's normal form, or "" when `typed` is not one of `kind`."""
    text = " ".join((typed or "").split())
    if kind in ("plate", "document"):
        value = normalize.identifier(text)
        return value if len(value) >= 4 and any(c.isdigit() for c in value) else ""
    if kind == "phone":
        return phones.normalise(text)
    if kind == "name":
        keys = names.keys(text)
        return " ".join(sorted(keys)) if len(keys) >= 2 and not any(c.isdigit() for c in text) else ""
    return ""


def add(db, user, kind: str, typed: str) -> Watch:
    if kind not in KINDS:
        raise Refused(_("Choose what to watch: a plate, a document number, a phone number or a full name."))
    value = normal(kind, typed)
    if not value:
        shown = (typed or "").strip()[:80]
        raise Refused(_("“%(typed)s” is not a %(kind)s that can be watched.", typed=shown, kind=_kind(kind)))
    if len(value) > 160 or len((typed or "").strip()) > 160:
        raise Refused(_("A watched value has at most 160 characters."))
    mine_now = db.execute(select(func.count()).select_from(Watch).where(Watch.user_id == user.id)).scalar_one()
    if mine_now >= MAX_PER_USER:
        raise Refused(_("You watch %(count)d values already, the most allowed.", count=MAX_PER_USER))
    same = select(Watch.id).where(Watch.user_id == user.id, Watch.kind == kind, Watch.value == value)
    if db.execute(same).first():
        raise Refused(_("You watch this already."))
    watch = Watch(user_id=user.id, kind=kind, value=value, typed=" ".join(typed.split()))
    db.add(watch)
    db.flush()
    audit.record(db, "watch_add", user=user, object_type="watch", object_id=watch.id, detail={"kind": kind})
    db.commit()
    return watch


def _kind(kind: str) -> str:
    labels = {"plate": _("plate"), "document": _("document number"), "phone": _("phone number"), "name": _("full name")}
    return labels.get(kind, kind)


def remove(db, user, watch_id: int) -> None:
    watch = db.get(Watch, watch_id)
    if watch is None or watch.user_id != user.id:
        raise Refused(_("This is not one of your watches."))
    db.delete(watch)
    audit.record(db, "watch_remove", user=user, object_type="watch", object_id=watch_id, detail={"kind": watch.kind})
    db.commit()


def mine(db, user) -> list[Watch]:
    query = select(Watch).where(Watch.user_id == user.id).order_by(Watch.kind, Watch.typed)
    return list(db.execute(query).scalars())


def _matches(db, ids: list[int]) -> dict[int, set[int]]:
    """{watch id: record ids} among these records, from the identifier index."""
    found: dict[int, set[int]] = defaultdict(set)
    direct = (
        select(Watch.id, IdentifierKey.operation_id)
        .join(IdentifierKey, and_(IdentifierKey.kind == Watch.kind, IdentifierKey.value == Watch.value))
        .where(IdentifierKey.operation_id.in_(ids), Watch.kind != "name")
    )
    for watch_id, operation_id in db.execute(direct):
        found[watch_id].add(operation_id)
    name_watches = [(watch_id, set(value.split())) for watch_id, value in db.execute(_NAME_WATCHES)]
    if not name_watches:
        return found
    # only the name keys some watch asks for: a person matches a watch holding all of its keys
    asked = sorted(set().union(*(wanted for _id, wanted in name_watches)))
    keys_of: dict[tuple[int, int], set[str]] = defaultdict(set)
    for part in range(0, len(asked), _CHUNK):
        people = select(IdentifierKey.operation_id, IdentifierKey.person_id, IdentifierKey.value).where(
            IdentifierKey.kind == "name",
            IdentifierKey.operation_id.in_(ids),
            IdentifierKey.value.in_(asked[part : part + _CHUNK]),
        )
        for operation_id, person_id, value in db.execute(people):
            keys_of[(operation_id, person_id)].add(value)
    for watch_id, wanted in name_watches:
        found[watch_id].update(op for (op, _p), keys in keys_of.items() if wanted <= keys)
    return found


_NAME_WATCHES = select(Watch.id, Watch.value).where(Watch.kind == "name")


def tell(db, operation_ids) -> int:
    """Inbox items for the watchers of these records' identifiers; returns how many were written."""
    if db.execute(select(Watch.id).limit(1)).first() is None:
        return 0  # nobody watches anything: an import need not look (nor sort its million ids)
    ids = sorted(set(operation_ids))
    if not ids:
        return 0
    by_watch: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(ids), _CHUNK):
        for watch_id, records in _matches(db, ids[start : start + _CHUNK]).items():
            by_watch[watch_id] |= records
    if not by_watch:
        return 0
    watches = {w.id: w for w in db.execute(select(Watch).where(Watch.id.in_(list(by_watch)))).scalars()}
    per_user: dict[int, list[Watch]] = defaultdict(list)
    for watch in watches.values():
        per_user[watch.user_id].append(watch)
    written = 0
    for user_id, theirs in per_user.items():
        written += _tell_one(db, db.get(User, user_id), theirs, by_watch)
    return written


def _tell_one(db, user: User, theirs: list[Watch], by_watch: dict[int, set[int]]) -> int:
    if user is None or not user.is_active:
        return 0
    matched, readable_ids, total = [], set(), 0
    for watch in sorted(theirs, key=lambda w: (w.kind, w.typed)):
        records = sorted(by_watch[watch.id])
        readable = set(_ids(db, records, policy.visible_operations(user)))
        hits = _ids(db, records, and_(policy.hits_clause(user), not_(policy.visible_operations(user))))
        count = len(readable) + len(hits)
        if count:
            matched.append({"kind": watch.kind, "value": watch.typed, "count": count})
            readable_ids |= readable
            total += count
    if not matched:
        return 0
    # plain paths: imports run outside any web request too
    if len(readable_ids) == 1 and total == 1:
        link = f"/operations/{next(iter(readable_ids))}"
    else:
        link = "/search/lookup?" + urlencode({"value": matched[0]["value"]})
    return inbox.notify(db, [user.id], "watch_hit", {"matches": matched, "count": total}, link)


def _ids(db, records: list[int], clause) -> list[int]:
    return list(db.execute(select(Operation.id).where(Operation.id.in_(records), clause)).scalars())
