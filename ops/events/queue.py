"""The analysts' queue: open possible duplicates and proposals, with the figures that matched.

Only pairs with at least one report the reader may read are listed. The other
report is named by reference where readable, else by its agency's name only
(when approved and not H2/H3; otherwise the pair is not listed), and the
matched figures are shown in full only where the reader may read both reports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from ops import policy
from ops.models import Agency, Operation, Seizure, SeizureLink

LIMIT = 200


@dataclass
class Side:
    seizure_id: int
    agency: str
    readable: bool
    operation_id: int | None = None
    ref: str | None = None


@dataclass
class Entry:
    link: SeizureLink
    sides: list[Side]
    matched: dict = field(default_factory=dict)  # empty unless both reports are readable

    @property
    def place_reason(self) -> str:
        return self.matched.get("place", "")


def open_entries(db, user) -> list[Entry]:
    """Open links, newest first, of which `user` may read at least one report."""
    a, b = aliased(Seizure), aliased(Seizure)
    seen_a, seen_b = policy.visible_seizures(user, a), policy.visible_seizures(user, b)
    disclosed = lambda s: and_(s.op_status == "approved", s.op_handling_code.in_(policy.HIT_FREE_CODES))  # noqa: E731
    rows = db.execute(
        select(SeizureLink, seen_a.label("ra"), seen_b.label("rb"))
        .join(a, a.id == SeizureLink.seizure_id)
        .join(b, b.id == SeizureLink.other_id)
        .where(
            SeizureLink.status.in_(("candidate", "proposed")),
            or_(and_(seen_a, or_(seen_b, disclosed(b))), and_(seen_b, disclosed(a))),
        )
        .order_by(SeizureLink.id.desc())
        .limit(LIMIT)
    ).all()
    ids = {i for link, _ra, _rb in rows for i in (link.seizure_id, link.other_id)}
    facts = _facts(db, ids)
    entries = []
    for link, ra, rb in rows:
        sides = [_side(facts[link.seizure_id], bool(ra)), _side(facts[link.other_id], bool(rb))]
        matched = json.loads(link.matched or "{}") if ra and rb else {}
        entries.append(Entry(link, sides, matched))
    return entries


def _facts(db, ids: set[int]) -> dict:
    if not ids:
        return {}
    return {
        row.id: row
        for row in db.execute(
            select(Seizure.id, Agency.name, Operation.id.label("operation_id"), Operation.ref)
            .join(Agency, Agency.id == Seizure.owner_agency_id)
            .join(Operation, Operation.id == Seizure.operation_id)
            .where(Seizure.id.in_(ids))
        )
    }


def _side(row, readable: bool) -> Side:
    if not readable:
        return Side(row.id, row.name, False)
    return Side(row.id, row.name, True, row.operation_id, row.ref)
