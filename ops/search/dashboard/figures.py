"""The dashboard of a search: seizures and kg-equivalent per month, by commodity, location and agency, top routes.

Two grouped queries over the search's rows (month x commodity x location x
agency x category, and routes), run side by side (parallel.py) and rolled up here, so
that every chart adds up to the same totals as the search page for the same URL.
The map panel is drawn from the same two results (places by category, routes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func

from ops.models import Seizure
from ops.search.language.query import SearchQuery
from ops.search.sql import counting, parallel, periods
from ops.search.sql.facets import Totals
from ops.search.sql.filters import Scope, matching

TOP = 12
TOP_ROUTES = 10


@dataclass
class Bar:
    key: object
    count: int
    kg: Decimal


@dataclass
class Dashboard:
    totals: Totals = field(default_factory=Totals)
    months: list[Bar] = field(default_factory=list)
    commodities: list[Bar] = field(default_factory=list)
    locations: list[Bar] = field(default_factory=list)
    agencies: list[Bar] = field(default_factory=list)
    routes: list[Bar] = field(default_factory=list)  # key: (origin, transit, destination)
    # the map panel's groups, read from the same two queries: (place, category, count, kg) and the route rows
    place_cells: list[tuple] = field(default_factory=list)
    route_rows: list[tuple] = field(default_factory=list)


def compute(db, query: SearchQuery, scope: Scope, backend) -> Dashboard:
    query = query.without_paging()
    month = periods.period(db, scope.zone, "month", query.date_from, query.date_to)
    keys = (month, Seizure.commodity, Seizure.op_place, Seizure.owner_agency_id, Seizure.category)
    measures = (func.count(), func.sum(Seizure.kg_equivalent))
    route = (Seizure.origin_country, Seizure.transit_countries, Seizure.destination_country)
    counted = counting.counted_clause(query.terms, scope.user)  # each seizure event once, the commodity named
    routes = parallel.start(db, matching(query, scope, backend, *route, *measures).where(counted).group_by(*route))
    cube = db.execute(matching(query, scope, backend, *keys, *measures).where(counted).group_by(*keys)).all()
    return rollup(cube, routes.result(), scope)


def _add(table: dict, key, count: int, kg: Decimal) -> None:
    table[key][0] += count
    table[key][1] += kg


def _top(table: dict, limit: int | None) -> list[Bar]:
    bars = sorted((Bar(key, count, kg) for key, (count, kg) in table.items()), key=lambda b: (-b.count, str(b.key)))
    return bars[:limit] if limit else bars


def _decimal(value) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def rollup(cube, routes, scope: Scope) -> Dashboard:
    """Two grouped results -> the five charts: month x commodity x location x agency, and routes."""
    tables = {name: defaultdict(lambda: [0, Decimal(0)]) for name in ("month", "commodity", "place", "agency", "route")}
    result = Dashboard()
    cells = defaultdict(lambda: [0, Decimal(0)])  # (place, category): the map panel's circles
    for month, commodity, place, agency_id, category, count, kg in cube:
        kg = _decimal(kg)
        _add(cells, (place, category), count, kg)
        result.totals.seizures += count
        result.totals.kg += kg
        _add(tables["month"], month, count, kg)
        _add(tables["commodity"], commodity, count, kg)
        _add(tables["place"], place or "", count, kg)
        _add(tables["agency"], scope.agency_codes.get(agency_id, ""), count, kg)
    result.place_cells = [(place, category, count, kg) for (place, category), (count, kg) in cells.items()]
    result.route_rows = list(routes)
    for origin, transit, destination, count, kg in result.route_rows:
        if origin or destination:
            _add(
                tables["route"],
                (origin or "", " ".join((transit or "").split()), destination or ""),
                count,
                _decimal(kg),
            )
    result.months = _every_month(tables["month"])
    result.commodities = _top(tables["commodity"], TOP)
    result.locations = _top(tables["place"], TOP)
    result.agencies = _top(tables["agency"], None)
    result.routes = _top(tables["route"], TOP_ROUTES)
    return result


def _every_month(table: dict) -> list[Bar]:
    """Months from the first to the last with data, empty months included (a gap is information)."""
    if not table:
        return []
    first, last = min(table), max(table)
    year, month = int(first[:4]), int(first[5:7])
    bars = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        count, kg = table.get(key, (0, Decimal(0)))
        bars.append(Bar(key, count, kg))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return bars
