"""The record page's small map: the operation's place and the routes of its seizures, as plain data.

Only what the page already shows the reader (the record's coordinates and its seizures' routes), so the map
says nothing the tables beside it do not. Routes are drawn as the search's map draws them: origin -> transit
-> destination between the centroids of the shipped country shapes (static/map/countries.json).
"""

from __future__ import annotations

from collections import Counter

from ops import vocab
from ops.models import Operation, Seizure


def route_of(seizure: Seizure) -> tuple[str, ...]:
    """The seizure's countries in order (ISO codes), the unknown ones left out."""
    stops = (seizure.origin_country, *(seizure.transit_countries or "").split(), seizure.destination_country)
    return tuple(code for code in stops if code)


def coordinates(operation: Operation) -> tuple[float, float] | None:
    """The record's own coordinates, or its listed place's when none were stored."""
    if operation.lat is not None and operation.lon is not None:
        return operation.lat, operation.lon
    place = vocab.PLACES_BY_CODE.get(operation.place_code or "")
    return (place.lat, place.lon) if place else None


def figures(operation: Operation, seizures: list[Seizure]) -> dict | None:
    """{place, routes} for static/js/small-map.js, or None when there is nothing to draw."""
    point = coordinates(operation)
    paths = Counter(path for path in map(route_of, seizures) if len(path) >= 2)
    if point is None and not paths:
        return None
    name = vocab.place_label(operation.place_code, operation.place_name)
    return {
        "place": {"name": name, "lat": point[0], "lon": point[1]} if point else None,
        "routes": [
            {"countries": list(path), "label": " → ".join(vocab.country_name(c) for c in path), "count": count}
            for path, count in sorted(paths.items(), key=lambda item: (-item[1], item[0]))
        ],
    }
