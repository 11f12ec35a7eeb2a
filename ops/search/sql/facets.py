"""Facet counts and totals of a result set, from one grouped query.

The seizures found are grouped once by commodity, agency, location,
conveyance and year together (a small cube: these columns are correlated),
and the cube is rolled up here into the five facets and the totals. Counts
are of the rows the result list pages through that count (counting.py): a
seizure found only through its operation's text, and a second report of a
seizure event the reader sees the primary of, are listed but not counted;
`Totals.not_counted` says how many rows the list holds beyond the count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func

from ops.models import Seizure
from ops.search.language.query import SearchQuery
from ops.search.sql import counting, periods
from ops.search.sql.filters import Scope, matching

FACETS = ("commodity", "agency", "location", "conveyance", "year")


@dataclass
class FacetValue:
    value: str  # what goes into the URL
    count: int
    kg: Decimal


@dataclass
class Totals:
    seizures: int = 0
    kg: Decimal = Decimal(0)
    not_counted: int = 0  # rows listed but not counted (found through the text only, or a second report)


@dataclass
class Facets:
    totals: Totals = field(default_factory=Totals)
    values: dict[str, list[FacetValue]] = field(default_factory=dict)
    # seizures of the matches an export of this reader leaves out (policy.exportable_seizures), where the
    # pass that counted the facets counted them too; None: not counted here
    left_out: int | None = None


def cube_keys(db, query: SearchQuery, scope: Scope) -> tuple:
    """What the cube groups by, in the order rollup() reads: commodity, agency, location, conveyance, year,
    and whether the rows count (1) or are only listed (0)."""
    year = periods.period(db, scope.zone, "year", query.date_from, query.date_to)
    counted = counting.counted_flag(query.terms, scope.user)
    return Seizure.commodity, Seizure.owner_agency_id, Seizure.op_place, Seizure.conveyance, year, counted


def statement(db, query: SearchQuery, scope: Scope, backend):
    """The grouped query of the facets (see the module's docstring); its rows go to rollup()."""
    keys = cube_keys(db, query, scope)
    return matching(query, scope, backend, *keys, func.count(), func.sum(Seizure.kg_equivalent)).group_by(*keys)


def compute(db, query: SearchQuery, scope: Scope, backend) -> Facets:
    return rollup(db.execute(statement(db, query, scope, backend)).all(), scope)


def rollup(cube, scope: Scope) -> Facets:
    counts = {name: defaultdict(lambda: [0, Decimal(0)]) for name in FACETS}
    result = Facets()
    for commodity, agency_id, place, conveyance, year, counted, count, kg in cube:
        if not counted:
            result.totals.not_counted += count
            continue
        kg = Decimal(str(kg)) if kg is not None else Decimal(0)
        result.totals.seizures += count
        result.totals.kg += kg
        for name, value in zip(
            FACETS,
            (commodity, scope.agency_codes.get(agency_id, ""), place or "", conveyance, year or ""),
            strict=False,
        ):
            counts[name][value][0] += count
            counts[name][value][1] += kg
    for name in FACETS:
        ordered = sorted(
            counts[name].items(),
            key=(lambda item: item[0]) if name == "year" else (lambda item: (-item[1][0], item[0])),
            reverse=name == "year",
        )
        result.values[name] = [FacetValue(value, count, kg) for value, (count, kg) in ordered]
    return result
