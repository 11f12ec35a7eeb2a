"""The map's figures as the page's script reads them: labels in the reader's language, links to the search."""

from __future__ import annotations

from ops import vocab
from ops.search import present
from ops.search.language.query import SearchQuery
from ops.search.map.figures import MapFigures


def payload(figures: MapFigures, query: SearchQuery) -> dict:
    """Plain data for static/js/map.js (the page's data-figures attribute): no record, only totals."""
    return {
        "places": [
            {
                "name": vocab.place_label_by_name(place.name),
                "lat": place.lat,
                "lon": place.lon,
                "count": place.count,
                "kg": float(place.kg),
                "kg_text": present.kg_short(place.kg),
                "category": place.main_category,
                "categories": [
                    [str(vocab.CATEGORIES.get(code, code)), count] for code, count in sorted(place.categories.items())
                ],
                "href": present.search_url(query.with_filter("location", place.name)),
            }
            for place in figures.places
            if place.lat is not None
        ],
        "routes": [
            {
                "countries": list(route.countries),
                "label": " → ".join(vocab.country_name(code) for code in route.countries),
                "count": route.count,
                "kg_text": present.kg_short(route.kg),
            }
            for route in figures.routes
        ],
        "categories": [[code, str(label)] for code, label in vocab.CATEGORIES.items()],
    }
