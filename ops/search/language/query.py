"""The search as typed into the URL: parse and check it, and write it back.

Every search lives in the query string, so it can be bookmarked, shared and
saved. Parsing is strict: an unknown parameter, a garbage date, an unknown
code or a negative quantity is an error with a message for that field, and
the page shows no results rather than more than was asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ops import vocab
from ops.search.language import text as fulltext

SORTS = {
    "relevance": _l("Best match"),
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "largest": _l("Largest (kg-equivalent) first"),
}
MAX_KG = Decimal("1000000000")
MAX_VALUES = 20  # of one repeated parameter
PAGING = ("after", "before")


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    agency: tuple[str, ...] = ()
    team: str = ""
    location: str = ""
    region: str = ""
    category: str = ""
    commodity: tuple[str, ...] = ()
    conveyance: str = ""
    concealment: str = ""
    detection: str = ""
    origin: str = ""
    destination: str = ""
    via: str = ""
    kg_min: Decimal | None = None
    kg_max: Decimal | None = None
    status: str = ""
    sort: str = ""
    after: str = ""
    before: str = ""
    terms: tuple = field(default=(), compare=False)

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if self.terms else "newest"

    def has_criteria(self) -> bool:
        """Anything asked at all; an empty search shows the form, not the whole database."""
        return any(self.to_args(paging=False, sort=False))

    def to_args(self, paging: bool = True, sort: bool = True) -> list[tuple[str, str]]:
        """The canonical query string pairs (what `parse` reads back to an equal query)."""
        pairs = []
        for name, param in PARAMS.items():
            if (name in PAGING and not paging) or (name == "sort" and not sort):
                continue
            value = getattr(self, param)
            for item in value if isinstance(value, tuple) else (value,):
                text = _format(item)
                if text:
                    pairs.append((name, text))
        return pairs

    def without_paging(self) -> SearchQuery:
        return replace(self, after="", before="")

    def with_filter(self, name: str, value: str) -> SearchQuery:
        """This search with one filter set (a click on a facet), from the first page."""
        if name == "year":
            year = int(value)
            return replace(self.without_paging(), date_from=date(year, 1, 1), date_to=date(year, 12, 31))
        attribute = PARAMS[name]
        current = getattr(self, attribute)
        new = (value,) if isinstance(current, tuple) else value
        return replace(self.without_paging(), **{attribute: new})

    def without(self, name: str, value: str | None = None) -> SearchQuery:
        """This search without one filter (or one value of a repeated one), from the first page."""
        attribute = PARAMS[name]
        current = getattr(self, attribute)
        if isinstance(current, tuple):
            cleared = tuple(v for v in current if value is not None and v != value)
        else:
            cleared = SearchQuery.__dataclass_fields__[attribute].default
        changed = replace(self.without_paging(), **{attribute: cleared})
        return replace(changed, terms=()) if name == "q" else changed

    def active_filters(self) -> list[tuple[str, str]]:
        """(parameter, value) of every filter set, for the removable chips above the results."""
        return [(name, value) for name, value in self.to_args(paging=False, sort=False) if name != "q"]


# URL parameter -> attribute
PARAMS = {
    "q": "q",
    "from": "date_from",
    "to": "date_to",
    "agency": "agency",
    "team": "team",
    "location": "location",
    "region": "region",
    "category": "category",
    "commodity": "commodity",
    "conveyance": "conveyance",
    "concealment": "concealment",
    "detection": "detection",
    "origin": "origin",
    "destination": "destination",
    "via": "via",
    "kg_min": "kg_min",
    "kg_max": "kg_max",
    "status": "status",
    "sort": "sort",
    "after": "after",
    "before": "before",
}
CODE_TABLES = {
    "category": vocab.CATEGORIES,
    "commodity": vocab.COMMODITIES,
    "conveyance": vocab.CONVEYANCES,
    "concealment": vocab.CONCEALMENTS,
    "detection": vocab.DETECTION_METHODS,
    "status": vocab.STATUSES,
    "sort": SORTS,
}
MULTI = {"agency", "commodity"}
COUNTRIES = {"origin", "destination", "via"}
FREE_TEXT = {"location": 160, "region": 80, "team": 24, "after": 200, "before": 200}


def _format(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def parse(args: MultiDict) -> tuple[SearchQuery, dict[str, str]]:
    """Read a query string. Returns the query and {parameter: message} for what is wrong."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for name in args.keys():
        if name not in PARAMS:
            errors[name] = str(_l("“%(name)s” is not a search filter.", name=name))
    for name, attribute in PARAMS.items():
        raw = [v.strip() for v in args.getlist(name) if v.strip()]
        if not raw:
            continue
        try:
            values[attribute] = _parse_one(name, raw)
        except ValueError as error:
            errors[name] = str(error)
    query = SearchQuery(**values)
    errors.update(_check_ranges(query))
    try:
        query = replace(query, terms=tuple(fulltext.parse(query.q)))
    except fulltext.TextError as error:
        errors["q"] = str(error.args[0])
    if query.sort == "relevance" and not query.terms and "q" not in errors:
        errors["sort"] = str(_l("Best match needs search words; choose another order."))
    return query, errors


def _parse_one(name: str, raw: list[str]):
    if name in MULTI:
        if len(raw) > MAX_VALUES:
            raise ValueError(_l("At most %(n)d values.", n=MAX_VALUES))
        return tuple(dict.fromkeys(_code(name, v) for v in raw))
    if len(raw) > 1:
        raise ValueError(_l("Give one value only."))
    value = raw[0]
    if name in ("from", "to"):
        return _date(value)
    if name in ("kg_min", "kg_max"):
        return _quantity(value)
    if name in COUNTRIES:
        code = vocab.country_code(value)
        if code is None:
            raise ValueError(_l("“%(value)s” is not a country code or name.", value=value))
        return code
    if name in CODE_TABLES:
        return _code(name, value)
    if name in FREE_TEXT and len(value) > FREE_TEXT[name]:
        raise ValueError(_l("Too long."))
    if name == "team":
        return value.upper()
    return value


def _code(name: str, value: str) -> str:
    if name == "agency":
        if len(value) > 16:
            raise ValueError(_l("“%(value)s” is not an agency code.", value=value))
        return value.upper()
    table = CODE_TABLES[name]
    code = vocab.commodity_code(value) if name == "commodity" else value.lower()
    if code not in table:
        raise ValueError(_l("“%(value)s” is not a known code here.", value=value))
    return code


def _date(value: str) -> date:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _l("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2024-03-31.", value=value)
        ) from None
    if not 1900 <= parsed.year <= 2100:
        raise ValueError(_l("“%(value)s” is out of range.", value=value))
    return parsed


def _quantity(value: str) -> Decimal:
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise ValueError(_l("“%(value)s” is not a number.", value=value)) from None
    if not number.is_finite() or number < 0:
        raise ValueError(_l("A quantity cannot be negative."))
    if number > MAX_KG:
        raise ValueError(_l("Too large."))
    return number


def _check_ranges(query: SearchQuery) -> dict[str, str]:
    errors = {}
    if query.date_from and query.date_to and query.date_from > query.date_to:
        errors["to"] = str(_l("The end date is before the start date."))
    if query.kg_min is not None and query.kg_max is not None and query.kg_min > query.kg_max:
        errors["kg_max"] = str(_l("The largest quantity is smaller than the smallest."))
    if query.after and query.before:
        errors["before"] = str(_l("Give either “after” or “before”, not both."))
    return errors
