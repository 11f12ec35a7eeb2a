"""What the search templates need to show codes as words and to build links that keep the search."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import url_for
from flask_babel import get_locale, get_timezone
from flask_babel import lazy_gettext as _l

from ops import vocab
from ops.search import highlight
from ops.search.language.query import SORTS, SearchQuery

FILTER_NAMES = {
    "q": _l("Words"),
    "from": _l("From"),
    "to": _l("To"),
    "agency": _l("Agency"),
    "team": _l("Team"),
    "location": _l("Location"),
    "region": _l("Region"),
    "category": _l("Category"),
    "commodity": _l("Commodity"),
    "conveyance": _l("Conveyance"),
    "concealment": _l("Concealment"),
    "detection": _l("Detection"),
    "origin": _l("Origin"),
    "destination": _l("Destination"),
    "via": _l("Route via"),
    "kg_min": _l("At least (kg-eq.)"),
    "kg_max": _l("At most (kg-eq.)"),
    "status": _l("Status"),
    "sort": _l("Order"),
    "year": _l("Year"),
}
# parameters with a field of their own in templates/search/_form.html; errors of others show above it
FORM_FIELDS = frozenset(
    {
        "q",
        "from",
        "to",
        "agency",
        "team",
        "location",
        "region",
        "category",
        "commodity",
        "conveyance",
        "concealment",
        "detection",
        "status",
        "origin",
        "destination",
        "via",
        "kg_min",
        "kg_max",
        "sort",
    }
)
FACET_TITLES = {
    "commodity": _l("Commodity"),
    "agency": _l("Agency"),
    "location": _l("Location"),
    "conveyance": _l("Conveyance"),
    "year": _l("Year"),
}


# suggested in the country fields (any ISO code or English name is accepted)
ROUTE_COUNTRIES = (
    "AF",
    "TJ",
    "KZ",
    "KG",
    "TM",
    "UZ",
    "RU",
    "TR",
    "CN",
    "IR",
    "PK",
    "IN",
    "AE",
    "UA",
    "BY",
    "AZ",
    "GE",
    "DE",
    "NL",
    "GB",
    "US",
)
TABLES = {
    "category": vocab.CATEGORIES,
    "conveyance": vocab.CONVEYANCES,
    "concealment": vocab.CONCEALMENTS,
    "detection": vocab.DETECTION_METHODS,
    "status": vocab.STATUSES,
    "sort": SORTS,
    "unit": vocab.UNITS,
}


def _locale() -> str:
    return str(get_locale() or "en")


def commodity_label(code: str | None, language: str | None = None) -> str:
    return _label("commodity", code or "", language or _locale())


def value_label(name: str, value, language: str | None = None) -> str:
    """A filter's or facet's value in words (labels are translated once per language, not per row)."""
    if value in (None, ""):
        return "—"
    return _label(name, value if isinstance(value, str) else str(value), language or _locale())


@lru_cache(maxsize=4096)
def _label(name: str, value: str, _language: str) -> str:
    if name == "commodity":
        item = vocab.COMMODITIES.get(value)
        return str(item.label) if item else value
    if name in TABLES:
        return vocab.label(TABLES[name], value)
    if name in ("origin", "destination", "via", "country"):
        return vocab.country_name(value)
    if name == "location":
        return vocab.place_label_by_name(value)
    if name == "region":
        return vocab.region_label(value)
    return value


def search_url(
    query: SearchQuery, endpoint: str = "search.search_page", paging: bool = False, route: dict | None = None, **extra
) -> str:
    """A link to `endpoint` that carries the search (and `extra` parameters such as a cursor)."""
    pairs = query.to_args(paging=paging) + [(k, v) for k, v in extra.items() if v]
    return url_for(endpoint, **(route or {})) + ("?" + urlencode(pairs) if pairs else "")


def query_args(query: SearchQuery) -> str:
    return urlencode(query.to_args(paging=False))


def number(value, locale=None) -> str:
    return babel_numbers.format_decimal(value, format="#,##0", locale=locale or _babel_locale())


def kg(value, locale=None) -> str:
    if value is None:
        return "—"
    return babel_numbers.format_decimal(Decimal(value), format="#,##0.###", locale=locale or _babel_locale())


def kg_short(value, locale=None) -> str:
    """kg for totals and charts: whole kilograms from 100 up, fewer decimals than the records carry."""
    if value is None:
        return "—"
    value = Decimal(value)
    pattern = "#,##0" if abs(value) >= 100 else "#,##0.#" if abs(value) >= 1 else "#,##0.###"
    return babel_numbers.format_decimal(value, format=pattern, locale=locale or _babel_locale())


def _babel_locale():
    return get_locale() or Locale("en")


def route(seizure, language: str | None = None) -> str:
    stops = [seizure.origin_country, *(seizure.transit_countries or "").split(), seizure.destination_country]
    return " → ".join(value_label("country", code, language) for code in stops if code)


def form_options(scope, chosen_location: str = "") -> dict:
    """(value, text) options of the filter selects."""
    locations = sorted(((place.name, vocab.place_label(place.code)) for place in vocab.PLACES), key=lambda o: o[1])
    if chosen_location and chosen_location not in dict(locations):
        locations.append((chosen_location, chosen_location))
    return {
        "agencies": [(code, f"{code} — {name}") for code, name in scope.agency_names.items()],
        "teams": [(code, f"{code} — {name}") for code, name in scope.team_names.items()],
        "locations": locations,
        "regions": sorted(
            ((name, vocab.region_label(name)) for name in {p.region for p in vocab.PLACES}),
            key=lambda option: option[1],
        ),
        **_vocabulary_options(_locale()),
    }


@lru_cache(maxsize=16)
def _vocabulary_options(_language: str) -> dict:
    def table(codes: dict) -> list[tuple[str, str]]:
        return [(code, str(text)) for code, text in codes.items()]

    return {
        "categories": table(vocab.CATEGORIES),
        "commodities": [(code, str(item.label)) for code, item in vocab.COMMODITIES.items()],
        "conveyances": table(vocab.CONVEYANCES),
        "concealments": table(vocab.CONCEALMENTS),
        "detections": table(vocab.DETECTION_METHODS),
        "statuses": table(vocab.STATUSES),
        "sorts": table(SORTS),
        "countries": [(code, vocab.country_name(code)) for code in ROUTE_COUNTRIES],
    }


def helpers() -> dict:
    """Template helpers; locale and time zone are looked up once per page, not once per number."""
    locale, zone = _babel_locale(), get_timezone()
    language = str(locale)

    def when(value, pattern="yyyy-MM-dd HH:mm") -> str:  # the product's one format (ops/web.py)
        if value is None:
            return ""
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return babel_dates.format_datetime(aware, pattern, tzinfo=zone, locale=locale)

    return {
        "fmt_when": when,
        "fmt_number": lambda v: number(v, locale),
        "fmt_kg": lambda v: kg(v, locale),
        "fmt_kg_short": lambda v: kg_short(v, locale),
        "filter_names": FILTER_NAMES,
        "facet_titles": FACET_TITLES,
        "value_label": lambda name, value: value_label(name, value, language),
        "commodity_label": lambda code: commodity_label(code, language),
        "search_url": search_url,
        "query_args": query_args,
        "route_text": lambda seizure: route(seizure, language),
        "highlight": highlight.highlight,
    }
