"""What the map shows for a search: totals per place (by commodity category) and per route, from two grouped
queries over the search's own rows, so that a place's total is what the search's location facet counts.

Places on the list (`vocab.PLACES`) carry their coordinates; a place typed as free text is counted in the
table below the map but has no point. Routes are ISO country codes; the browser draws them between the
centroids of the shipped country shapes (static/map/countries.json).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func

from ops import vocab
from ops.models import Seizure
from ops.search.language.query import SearchQuery
from ops.search.sql import counting, parallel
from ops.search.sql.facets import Totals
from ops.search.sql.filters import Scope, matching

TOP_ROUTES = 25


@dataclass
class PlaceTotal:
    name: str  # as stored, and as the search's location filter takes it
    code: str | None  # on the list of places, else None
    lat: float | None
    lon: float | None
    count: int = 0
    kg: Decimal = Decimal(0)
    categories: dict[str, int] = field(default_factory=dict)  # seizures per commodity category

    @property
    def main_category(self) -> str:
        return max(sorted(self.categories), key=lambda c: self.categories[c]) if self.categories else "other"


@dataclass
class RouteTotal:
    countries: tuple[str, ...]  # origin, transit..., destination (ISO codes)
    count: int
    kg: Decimal


@dataclass
class MapFigures:
    totals: Totals = field(default_factory=Totals)
    places: list[PlaceTotal] = field(default_factory=list)
    routes: list[RouteTotal] = field(default_factory=list)


def compute(db, query: SearchQuery, scope: Scope, backend) -> MapFigures:
    query = query.without_paging()
    measures = (func.count(), func.sum(Seizure.kg_equivalent))
    route = (Seizure.origin_country, Seizure.transit_countries, Seizure.destination_country)
    counted = counting.counted_clause(query.terms, scope.user)  # each seizure event once, the commodity named
    routes = parallel.start(db, matching(query, scope, backend, *route, *measures).where(counted).group_by(*route))
    by_place = (Seizure.op_place, Seizure.category)
    cells = db.execute(matching(query, scope, backend, *by_place, *measures).where(counted).group_by(*by_place)).all()
    return from_groups(cells, routes.result())


def from_groups(place_cells, route_rows) -> MapFigures:
    """The map of grouped rows: (place, category, count, kg) and (origin, transit, destination, count, kg).
    The dashboard's map panel passes its own two queries' rows here, so it needs no query of its own."""
    return MapFigures(*_places(place_cells), routes=_routes(route_rows))


def _decimal(value) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def _places(cells) -> tuple[Totals, list[PlaceTotal]]:
    totals, places = Totals(), {}
    for name, category, count, kg in cells:
        name = name or ""
        if name not in places:
            known = vocab.PLACES_BY_NAME.get(name.lower())
            places[name] = PlaceTotal(
                name, known.code if known else None, known.lat if known else None, known.lon if known else None
            )
        place = places[name]
        place.count += count
        place.kg += _decimal(kg)
        place.categories[category] = place.categories.get(category, 0) + count
        totals.seizures += count
        totals.kg += _decimal(kg)
    return totals, sorted(places.values(), key=lambda p: (-p.count, p.name))


def _routes(rows) -> list[RouteTotal]:
    """Routes with at least two known countries; the same path from several rows is added up."""
    table = defaultdict(lambda: [0, Decimal(0)])
    for origin, transit, destination, count, kg in rows:
        path = tuple(code for code in (origin, *(transit or "").split(), destination) if code)
        if len(path) >= 2:
            table[path][0] += count
            table[path][1] += _decimal(kg)
    ranked = sorted(table.items(), key=lambda item: (-item[1][0], item[0]))
    return [RouteTotal(path, count, kg) for path, (count, kg) in ranked[:TOP_ROUTES]]
