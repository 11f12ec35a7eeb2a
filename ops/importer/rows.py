"""One row of an import file -> a checked Row, or the list of what is wrong with it (column and reason).

The parser knows the agencies and teams (read once) and caches every answer it
gives per distinct text, so parsing a million rows costs no query and few
look-ups. Times without an offset are local Asia/Tashkent time and become
aware UTC datetimes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ops import clock, phones, vocab
from ops.importer import mapping
from ops.importer.reader import UncomputedFormula, WrongWidth
from ops.importformat import ALL_COLUMNS, COLUMNS, OPTIONAL_COLUMNS

FILE_ZONE = ZoneInfo("Asia/Tashkent")
THOUSANDTH = Decimal("0.001")
WHOLE_UNITS = frozenset({"tablets", "plants", "pieces", "rounds"})
# beyond these a quantity is a typo (a unit mix-up, a pasted id), not a seizure
LIMITS = {
    "kg": Decimal(100_000),
    "g": Decimal(100_000_000),
    "l": Decimal(100_000),
    "tablets": Decimal(50_000_000),
    "plants": Decimal(10_000_000),
    "pieces": Decimal(1_000_000),
    "rounds": Decimal(10_000_000),
}
CURRENCY_LIMIT = Decimal(10_000_000_000)
# operation_ref is limited by the reference it becomes (RowParser.max_ref)
LENGTHS = {
    "seizure_id": 64,
    "location": 160,
    "region": 80,
    "concealment": 200,
    "vehicle_plate": 32,
    "person_name": 160,
    "person_document": 40,
    "narrative": vocab.NARRATIVE_MAX_LENGTH,
    "handling_code": 2000,  # "H3: " and its conditions
    "equipment": 1000,
    "person_phones": phones.MAX_PER_PERSON * (phones.MAX_TYPED + 2),
}
DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")
LENGTH_CHECKS = [(index, column, LENGTHS[column]) for index, column in enumerate(ALL_COLUMNS) if column in LENGTHS]
# messages made once (they are lazy: each is translated when shown)
MISSING = _l("missing required value")
UNKNOWN_AGENCY = _l("unknown agency (use its name or code)")
UNKNOWN_TEAM = _l("unknown team (use its name or code)")
UNCOMPUTED = _l(
    "a formula whose value was never computed: open the file in a spreadsheet program, let it calculate, save it"
)


@dataclass(slots=True)
class Row:
    line: int
    seizure_key: str
    operation_key: str
    occurred_at: datetime
    agency_id: int
    team_id: int
    place: vocab.Place | None
    place_name: str
    region: str
    lat: float | None
    lon: float | None
    category: str
    commodity: str
    quantity: Decimal
    unit: str
    conveyance: str
    concealment: str
    concealment_detail: str
    plate: str
    person_name: str
    person_document: str
    nationality: str | None
    origin: str | None
    destination: str | None
    narrative: str
    visibility: str
    commodity_text: str  # as the file names it, for the operation's title
    handling_code: str = "H0"
    handling_conditions: str = ""
    grading: str = ""
    equipment: tuple[str, ...] = ()  # inventory numbers of the programme's items used (optional column)
    person_phones: str = ""  # E.164 numbers separated by spaces (optional column)


def _phones(fail, text: str, name: str) -> str:
    """The person's phone numbers ("90 123 45 67; +7 912 345 67 89") in E.164, separated by spaces."""
    numbers, bad = phones.parse(text.replace(";", ",")) if text else ([], [])
    if bad:
        fail("person_phones", text, _l("not a phone number: %(typed)s", typed=bad[0][: phones.MAX_TYPED]))
    elif len(numbers) > phones.MAX_PER_PERSON:
        fail("person_phones", text, _l("at most %(count)s phone numbers per person", count=phones.MAX_PER_PERSON))
    elif numbers and not name:
        fail("person_name", name, _l("missing required value: a person_phones needs a person_name"))
    return " ".join(numbers)


def inventory_numbers(text: str) -> tuple[str, ...]:
    """ "INV-1; INV-2" -> ("INV-1", "INV-2"): each once, in the file's order."""
    if not text:
        return ()
    return tuple(dict.fromkeys(part.strip() for part in text.split(";") if part.strip()))


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    column: str
    value: str
    message: object  # a lazy string: shown in the reader's language

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "value": self.value, "message": str(self.message)}


class RowParser:
    def __init__(self, agencies, teams, owner_code: str, now: datetime | None = None):
        self.agencies = _by_name_and_code(agencies)
        self.teams = _by_name_and_code(teams)
        self.max_ref = 40 - len(owner_code) - 1  # Operation.ref is "<agency code>-<operation_ref>"
        # Later than the form's limit (now, give or take a fast clock): one refused row refuses the
        # whole file, and synthetic files in this format run to the end of their last year. A date
        # beyond next year is a typo.
        now = now or clock.now()
        self.latest = datetime(now.year + 1, 12, 31, 23, 59, 59, tzinfo=UTC)
        self.places: dict[str, vocab.Place | None] = {}
        self.countries: dict[str, str | None] = {}
        self.commodities: dict[str, str | None] = {}
        self.concealments: dict[str, str] = {}
        self.conveyances: dict[str, str | None] = {}

    def parse(self, line: int, values: list[str]) -> tuple[Row | None, list[RowError]]:
        expected = values.expected if isinstance(values, WrongWidth) else len(COLUMNS)
        if len(values) == len(COLUMNS) and not isinstance(values, WrongWidth):
            values = [*values, *[""] * len(OPTIONAL_COLUMNS)]  # the plain format, without the optional columns
        if isinstance(values, WrongWidth) or len(values) != len(ALL_COLUMNS):
            return None, [
                RowError(
                    line,
                    "",
                    "",
                    _l("expected %(expected)s values, found %(count)s", expected=expected, count=len(values)),
                )
            ]
        errors: list[RowError] = [
            RowError(line, column, value[:80], UNCOMPUTED)
            for column, value in zip(ALL_COLUMNS, values, strict=True)
            if type(value) is UncomputedFormula
        ]
        values = [value.strip() for value in values]
        (
            seizure_key,
            operation_key,
            occurred,
            agency,
            team,
            location,
            region,
            lat,
            lon,
            category,
            commodity,
            quantity,
            unit,
            conveyance,
            concealment,
            plate,
            name,
            document,
            nationality,
            origin,
            destination,
            narrative,
            visibility,
            handling_text,
            grading_text,
            equipment,
            phones_text,
        ) = values
        fail = _Collector(line, errors)
        for index, column, limit in LENGTH_CHECKS:
            if len(values[index]) > limit:
                fail(column, values[index], _l("longer than %(max)s characters", max=limit))
        if len(operation_key) > self.max_ref:
            fail("operation_ref", operation_key, _l("longer than %(max)s characters", max=self.max_ref))
        for column, value in (("seizure_id", seizure_key), ("operation_ref", operation_key)):
            if not value:
                fail(column, value, MISSING)
        occurred_at = self._time(fail, occurred)
        agency_id = self._named(fail, "agency", agency, self.agencies, UNKNOWN_AGENCY)
        team_id = self._named(fail, "team", team, self.teams, UNKNOWN_TEAM)
        place = self._place(fail, location)
        coordinates = self._coordinates(fail, lat, lon)
        goods = self._goods(fail, category, commodity, quantity, unit)
        conveyance_code = self._conveyance(fail, conveyance)
        countries = [
            self._country(fail, column, value)
            for column, value in (
                ("nationality", nationality),
                ("route_origin", origin),
                ("route_destination", destination),
            )
        ]
        if document and not name:
            fail("person_name", name, _l("missing required value: a person_document needs a person_name"))
        visibility_code = visibility.lower()
        if visibility_code not in vocab.VISIBILITIES:
            fail(
                "visibility",
                visibility,
                MISSING
                if not visibility
                else _l("unknown visibility (use one of: %(codes)s)", codes=", ".join(vocab.VISIBILITIES)),
            )
        handling = _handling(fail, handling_text, grading_text, visibility_code)
        numbers = _phones(fail, phones_text, name)
        if errors:
            return None, errors
        return Row(
            line,
            seizure_key,
            operation_key,
            occurred_at,
            agency_id,
            team_id,
            place,
            place.name if place else location,
            region or (place.region if place else ""),
            *coordinates,
            *goods,
            conveyance_code,
            self._concealment(concealment),
            concealment,
            plate,
            name,
            document,
            countries[0] if name else None,
            countries[1],
            countries[2],
            narrative,
            visibility_code,
            commodity,
            *handling,
            inventory_numbers(equipment),
            numbers,
        ), []

    # --- fields ------------------------------------------------------------------------------
    def _time(self, fail, text: str) -> datetime | None:
        if not text:
            fail("occurred_at", text, MISSING)
            return None
        moment = _parse_time(text)
        if moment is None:
            fail("occurred_at", text, _l("not a date and time (use 2024-05-31T14:30 or 31.05.2024 14:30)"))
        elif not clock.EARLIEST_EVENT <= moment <= self.latest:
            fail("occurred_at", text, _l("date out of range (1991 to next year)"))
        else:
            return moment
        return None

    @staticmethod
    def _named(fail, column: str, text: str, table: dict, unknown):
        if not text:
            fail(column, text, MISSING)
            return None
        found = table.get(text.lower())
        if found is None:
            fail(column, text, unknown)
        return found

    def _place(self, fail, text: str) -> vocab.Place | None:
        if not text:
            fail("location", text, MISSING)
            return None
        if text not in self.places:
            self.places[text] = vocab.PLACES_BY_NAME.get(text.lower()) or vocab.PLACES_BY_CODE.get(text.upper())
        return self.places[text]

    @staticmethod
    def _coordinates(fail, lat: str, lon: str) -> tuple[float | None, float | None]:
        if not lat and not lon:
            return None, None
        values = []
        for column, text, limit in (("lat", lat, 90.0), ("lon", lon, 180.0)):
            try:
                value = float(text)
            except ValueError:
                fail(
                    column,
                    text,
                    _l("not a coordinate (decimal degrees such as 37.2317)")
                    if text
                    else _l("missing required value: give both lat and lon, or neither"),
                )
                value = None
            else:
                if not math.isfinite(value) or abs(value) > limit:
                    fail(column, text, _l("coordinate out of range (±%(limit)s)", limit=int(limit)))
            values.append(value)
        return values[0], values[1]

    def _goods(self, fail, category: str, commodity: str, quantity: str, unit: str):
        category_code = category.lower()
        if category_code not in vocab.CATEGORIES:
            fail(
                "commodity_category",
                category,
                MISSING
                if not category
                else _l("unknown category (use one of: %(codes)s)", codes=", ".join(vocab.CATEGORIES)),
            )
        if commodity not in self.commodities:
            self.commodities[commodity] = vocab.commodity_code(commodity) if commodity else None
        code = self.commodities[commodity]
        if code is None:
            fail("commodity", commodity, MISSING if not commodity else _l("unknown commodity"))
        elif category_code in vocab.CATEGORIES and vocab.COMMODITIES[code].category != category_code:
            fail(
                "commodity_category",
                category,
                _l(
                    "%(commodity)s belongs to the category %(category)s",
                    commodity=commodity,
                    category=vocab.COMMODITIES[code].category,
                ),
            )
            category_code = None  # the unit cannot be judged against a category in doubt
        unit_code = unit.upper() if unit.upper() in vocab.CURRENCIES else unit.lower()
        allowed = vocab.UNITS_BY_CATEGORY.get(category_code)
        if allowed is not None and unit_code not in allowed:
            fail(
                "unit",
                unit,
                MISSING
                if not unit
                else _l(
                    "unit does not fit the category %(category)s (use one of: %(units)s)",
                    category=category_code,
                    units=", ".join(allowed),
                ),
            )
        return category_code, code, _quantity(fail, quantity, unit_code), unit_code

    def _conveyance(self, fail, text: str) -> str | None:
        if text not in self.conveyances:
            self.conveyances[text] = mapping.conveyance_code(text)
        code = self.conveyances[text]
        if code is None:
            fail(
                "conveyance",
                text,
                _l(
                    "unknown conveyance (use one of: %(codes)s)",
                    codes=", ".join(c.replace("_", " ") for c in vocab.CONVEYANCES),
                ),
            )
        return code

    def _country(self, fail, column: str, text: str) -> str | None:
        if not text:
            return None
        if text not in self.countries:
            self.countries[text] = vocab.country_code(text)
        code = self.countries[text]
        if code is None:
            fail(column, text, _l("unknown country (use an English name or an ISO code such as UZ)"))
        return code

    def _concealment(self, text: str) -> str:
        if text not in self.concealments:
            self.concealments[text] = mapping.concealment_code(text)
        return self.concealments[text]


class _Collector:
    """Appends RowErrors for one line; called like a function."""

    __slots__ = ("line", "errors")

    def __init__(self, line: int, errors: list):
        self.line, self.errors = line, errors

    def __call__(self, column: str, value: str, message) -> None:
        self.errors.append(RowError(self.line, column, value[:80], message))


def _by_name_and_code(items) -> dict[str, int]:
    table = {}
    for item in items:
        table[item.code.lower()] = item.id
        table[item.name.lower()] = item.id
    return table


def _parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
        for pattern in DATE_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if moment is None:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=FILE_ZONE)
    return moment.astimezone(UTC)


def _quantity(fail, text: str, unit: str) -> Decimal | None:
    if not text:
        fail("quantity", text, MISSING)
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        fail("quantity", text, _l("not a number (use a dot for decimals, no thousands separators)"))
        return None
    limit = CURRENCY_LIMIT if unit in vocab.CURRENCIES else LIMITS.get(unit, CURRENCY_LIMIT)
    if not value.is_finite() or value <= 0:
        fail("quantity", text, _l("must be more than zero"))
    elif value > limit:
        fail("quantity", text, _l("implausibly large for %(unit)s (more than %(limit)s)", unit=unit, limit=limit))
    elif value != value.quantize(THOUSANDTH):
        fail("quantity", text, _l("more than 3 decimal places"))
    elif unit in WHOLE_UNITS and value != value.to_integral_value():
        fail("quantity", text, _l("must be a whole number of %(unit)s", unit=unit))
    else:
        return value
    return None


def _handling(fail, code_text: str, grading_text: str, visibility: str) -> tuple[str, str, str]:
    """(code, conditions, grading) from the optional columns.

    Blank means H0 and ungraded; "H3: text" carries H3's conditions."""
    code, _colon, conditions = code_text.partition(":")
    code, conditions = (code.strip().upper() or "H0"), conditions.strip()
    grading = grading_text.strip().upper()
    if code not in vocab.HANDLING_CODES:
        fail("handling_code", code_text, _l("unknown handling code (use one of: H0, H1, H2, or H3: conditions)"))
    elif code == vocab.CONDITIONS_CODE and not conditions:
        fail("handling_code", code_text, _l("H3 needs its conditions after a colon, e.g. H3: not for the press"))
    elif code != vocab.CONDITIONS_CODE and conditions:
        fail("handling_code", code_text, _l("conditions go with H3 only"))
    elif code == vocab.NO_FURTHER_DISSEMINATION and visibility == "all":
        fail("handling_code", code_text, _l("a record with handling code H2 cannot have visibility all"))
    if grading and grading not in vocab.GRADINGS:
        fail("grading", grading_text, _l("unknown grading (source reliability A-D or X, then assessment 1-4, e.g. B2)"))
    return code, conditions, grading
