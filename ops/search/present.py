"""What the search templates need to show codes as words and to build links that keep the search."""
from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from flask import url_for
from flask_babel import format_decimal, lazy_gettext as _l

from ops import vocab
from ops.search.query import SORTS, SearchQuery

FILTER_NAMES = {
    "q": _l("Words"), "from": _l("From"), "to": _l("To"), "agency": _l("Agency"), "team": _l("Team"),
    "location": _l("Location"), "region": _l("Region"), "category": _l("Category"), "commodity": _l("Commodity"),
    "conveyance": _l("Conveyance"), "concealment": _l("Concealment"), "detection": _l("Detection"),
    "origin": _l("Origin"), "destination": _l("Destination"), "via": _l("Route via"),
    "kg_min": _l("At least (kg-eq.)"), "kg_max": _l("At most (kg-eq.)"), "status": _l("Status"), "sort": _l("Order"),
    "year": _l("Year"),
}
FACET_TITLES = {
    "commodity": _l("Commodity"), "agency": _l("Agency"), "location": _l("Location"),
    "conveyance": _l("Conveyance"), "year": _l("Year"),
}


def commodity_label(code: str | None) -> str:
    item = vocab.COMMODITIES.get(code or "")
    return str(item.label) if item else (code or "")


def value_label(name: str, value) -> str:
    """A filter's or facet's value in words."""
    if value in (None, ""):
        return "—"
    if name == "commodity":
        return commodity_label(value)
    tables = {"category": vocab.CATEGORIES, "conveyance": vocab.CONVEYANCES, "concealment": vocab.CONCEALMENTS,
              "detection": vocab.DETECTION_METHODS, "status": vocab.STATUSES, "sort": SORTS}
    if name in tables:
        return vocab.label(tables[name], value)
    if name in ("origin", "destination", "via"):
        return vocab.country_name(value)
    return str(value)


def search_url(query: SearchQuery, endpoint: str = "search.search_page", paging: bool = False,
               route: dict | None = None, **extra) -> str:
    """A link to `endpoint` that carries the search (and `extra` parameters such as a cursor)."""
    pairs = query.to_args(paging=paging) + [(k, v) for k, v in extra.items() if v]
    return url_for(endpoint, **(route or {})) + ("?" + urlencode(pairs) if pairs else "")


def query_args(query: SearchQuery) -> str:
    return urlencode(query.to_args(paging=False))


def number(value) -> str:
    return format_decimal(value, format="#,##0")


def kg(value) -> str:
    if value is None:
        return "—"
    return format_decimal(Decimal(value), format="#,##0.###")


def kg_short(value) -> str:
    """kg for totals and charts: whole kilograms from 100 up, fewer decimals than the records carry."""
    if value is None:
        return "—"
    value = Decimal(value)
    pattern = "#,##0" if abs(value) >= 100 else "#,##0.#" if abs(value) >= 1 else "#,##0.###"
    return format_decimal(value, format=pattern)


def route(seizure) -> str:
    stops = [seizure.origin_country, *(seizure.transit_countries or "").split(), seizure.destination_country]
    return " → ".join(vocab.country_name(code) for code in stops if code)


def form_options(scope, chosen_location: str = "") -> dict:
    """(value, text) options of the filter selects."""
    def table(codes: dict) -> list[tuple[str, str]]:
        return [(code, str(text)) for code, text in codes.items()]
    locations = [place.name for place in vocab.PLACES]
    if chosen_location and chosen_location not in locations:
        locations.append(chosen_location)
    return {
        "agencies": [(code, f"{code} — {name}") for code, name in scope.agency_names.items()],
        "teams": [(code, f"{code} — {name}") for code, name in scope.team_names.items()],
        "locations": [(name, name) for name in locations],
        "regions": [(name, name) for name in sorted({place.region for place in vocab.PLACES})],
        "categories": table(vocab.CATEGORIES),
        "commodities": [(code, str(item.label)) for code, item in vocab.COMMODITIES.items()],
        "conveyances": table(vocab.CONVEYANCES), "concealments": table(vocab.CONCEALMENTS),
        "detections": table(vocab.DETECTION_METHODS), "statuses": table(vocab.STATUSES), "sorts": table(SORTS),
        "countries": [(code, vocab.country_name(code)) for code in vocab.COUNTRY_CODES],
    }


def helpers() -> dict:
    return {"filter_names": FILTER_NAMES, "facet_titles": FACET_TITLES, "value_label": value_label,
            "commodity_label": commodity_label, "search_url": search_url, "query_args": query_args, "fmt_number": number, "fmt_kg": kg, "fmt_kg_short": kg_short,
            "route_text": route}
