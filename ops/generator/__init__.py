"""The project's own deterministic generator of synthetic seizure records (the CSV import format).

Each row is one seizure; rows of one operation (1-8 seizures) share the
operation_ref, team, place, conveyance, route and usually the subject. The
data are skewed on purpose so that searches and correlations have something
to find: opiates and hashish at the Afghan and Tajik borders, fewer opiates
and more methamphetamine from 2023, tablets and cash at airports, synthetics
in the post; a Zipf-like pool of recurring subjects whose plates, names and phones come
back dozens of times; about one narrative sentence in ten is Russian.

Deterministic: the same (rows, seed) always gives the same bytes, with no
clock, locale or hash order involved; and the rows for N are a prefix of the
rows for any larger N (operations are drawn one after another and only the
last one is cut short), so a demo that grows keeps its earlier records.
Times are local (Asia/Tashkent) without an offset, as agencies' spreadsheets have them.
"""

from __future__ import annotations

import csv
import math
import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from typing import TextIO

from ops.generator import tables as t
from ops.generator import words as w
from ops.generator.seizure import CATEGORY, seizure_row
from ops.importformat import COLUMNS
from ops.place_seed import PLACES_BY_CODE

# what the generator writes: the 23 columns and the optional person_phones (ops/generator/phones.py)
GENERATED_COLUMNS = [*COLUMNS, "person_phones"]

FEMALE = frozenset(
    {
        "Dilnoza",
        "Gulnora",
        "Nilufar",
        "Malika",
        "Madina",
        "Feruza",
        "Nigina",
        "Tahmina",
        "Aigerim",
        "Aliya",
        "Cholpon",
        "Olga",
        "Irina",
        "Maral",
        "Ayse",
        "Priya",
    }
)
ROAD = frozenset({"truck", "car", "bus"})
FOREIGN_PLATES = {
    "Afghanistan": lambda g: f"{g.choice(w.AFGHAN_PROVINCES)} {g.digits(5)}",
    "Kazakhstan": lambda g: f"{g.digits(3)} {g.letters(3)} {g.choice(('02', '13', '17'))}",
    "Tajikistan": lambda g: f"{g.digits(4)} {g.letters(2)} {g.choice(('01', '02', '03'))}",
    "Kyrgyzstan": lambda g: f"{g.choice(('01', '02', '05'))} {g.digits(3)} {g.letters(3)}",
    "Russia": lambda g: f"{g.letters(1)}{g.digits(3)}{g.letters(2)} {g.choice(('77', '50', '116'))}",
    "Turkmenistan": lambda g: f"{g.letters(2)} {g.digits(4)} {g.choice(('AG', 'MR', 'LB'))}",
}


class Weighted:
    """A weighted choice by bisection over cumulative weights (fast, and independent of dict order)."""

    __slots__ = ("items", "cumulative", "total")

    def __init__(self, weights: dict):
        pairs = [(item, weight) for item, weight in weights.items() if weight > 0]
        self.items = [item for item, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rnd):
        return self.items[bisect(self.cumulative, rnd() * self.total)]


@dataclass(slots=True)
class Subject:
    name: str
    document: str
    nationality: str
    plate: str


@dataclass(slots=True)
class Operation:
    ref: str
    team: str
    place: object
    profile: str
    conveyance: str
    agency: str
    origin: str
    destination: str
    subject: Subject
    plate: str
    start: datetime
    visibility: str
    size: int
    commodities: Weighted
    first_commodity: str
    clock: datetime | None = None  # when the latest seizure of the operation happened


def _profile(place) -> str:
    return t.COUNTRY_PROFILE.get(place.country) or t.KIND_PROFILE.get(place.kind, "inland")


class Generator:
    def __init__(self, seed: int):
        self.seed = seed
        # a seeded, reproducible stream is the point here: synthetic records, nothing secret
        rng = random.Random(seed)  # nosec B311
        self.rnd, self.gauss = rng.random, rng.gauss
        self.teams = Weighted({index: team[2] for index, team in enumerate(t.TEAMS)})
        self.team_places = {team[0]: Weighted(team[3]) for team in t.TEAMS}
        self.conveyances = {
            code: Weighted(t.CONVEYANCE_BY_PLACE.get(code) or t.CONVEYANCE_BY_KIND[place.kind])
            for code, place in PLACES_BY_CODE.items()
        }
        self.agencies = {p: Weighted(dict(zip(t.AGENCIES, ws, strict=False))) for p, ws in t.AGENCY_WEIGHTS.items()}
        self.nationalities = {p: Weighted(ws) for p, ws in t.NATIONALITY_WEIGHTS.items()}
        self.routes = {p: (Weighted(o), Weighted(d)) for p, (o, d) in t.ROUTES.items()}
        self.commodities = {
            (p, late): Weighted({c: wt * (t.FROM_2023.get(c, 1.0) if late else 1.0) for c, wt in ws.items()})
            for p, ws in t.COMMODITY_WEIGHTS.items()
            for late in (False, True)
        }
        self.units = {c: Weighted({u: u[1] for u in units}) for c, units in t.UNITS.items()}
        self.visibility = Weighted(t.VISIBILITY_WEIGHTS)
        self.security_visibility = Weighted(t.SECURITY_VISIBILITY_WEIGHTS)
        self.years, self.months = Weighted(t.YEARS), Weighted(dict(enumerate(t.MONTHS, 1)))
        self.hours = Weighted(dict(enumerate(t.HOURS)))
        self.sizes = Weighted(t.SEIZURES_PER_OPERATION)
        self.sentences = Weighted({1: 25, 2: 45, 3: 30})
        self.pool: list[Subject] = []

    # --- small draws ---------------------------------------------------------------------
    def choice(self, items):
        return items[int(self.rnd() * len(items))]

    def digits(self, n: int) -> str:
        return str(int(self.rnd() * 10**n)).zfill(n)

    def letters(self, n: int) -> str:
        return "".join(self.choice(w.LETTERS) for _ in range(n))

    def person(self, nationality: str) -> tuple[str, str]:
        first_names, surnames = w.NAMES[nationality]
        first, surname = self.choice(first_names), self.choice(surnames)
        if first in FEMALE and surname.endswith(("ov", "ev", "in")):
            surname += "a"
        prefixes, count = w.DOCUMENTS[nationality]
        number = self.digits(count)
        document = f"{number[:2]} {number[2:]}" if nationality == "Russia" else self.choice(prefixes) + number
        return f"{first} {surname}", document

    def plate(self, nationality: str, conveyance: str) -> str:
        if conveyance == "train":
            return f"wagon {self.digits(8)}" if self.rnd() < 0.7 else ""
        if conveyance not in ROAD:
            return ""
        if nationality in FOREIGN_PLATES and self.rnd() < 0.75:
            return FOREIGN_PLATES[nationality](self)
        region = self.choice(w.UZ_REGIONS)
        if conveyance == "truck" and self.rnd() < 0.6:
            return f"{region} {self.digits(3)} {self.letters(3)}"  # a company's truck
        return f"{region} {self.letters(1)} {self.digits(3)} {self.letters(2)}"

    # --- recurring subjects -------------------------------------------------------------------
    def pooled(self, operation_number: int) -> Subject:
        """A recurring subject: the pool grows with the file, its head is drawn far more often."""
        size = 60 + operation_number // 150
        index = int(size * self.rnd() ** 1.6)
        while len(self.pool) <= index:  # each entry has its own stream: independent of when it is first used
            self.pool.append(_pool_entry(self.seed, len(self.pool)))
        return self.pool[index]

    def subject(self, operation_number: int, profile: str, conveyance: str) -> tuple[Subject, str]:
        if self.rnd() < 0.05:
            known = self.pooled(operation_number)
            reuse = conveyance in ("truck", "car") and known.plate and self.rnd() < 0.7
            return known, known.plate if reuse else self.plate(known.nationality, conveyance)
        nationality = self.nationalities[profile].pick(self.rnd)
        if conveyance == "postal" and self.rnd() < 0.5:
            return Subject("", "", "", ""), ""
        name, document = self.person(nationality)
        if self.rnd() < 0.002:  # the same document under another name
            document = self.pooled(operation_number).document
        return Subject(name, document, nationality, ""), self.plate(nationality, conveyance)

    # --- operations and seizures ------------------------------------------------------------
    def moment(self) -> datetime:
        year, month = self.years.pick(self.rnd), self.months.pick(self.rnd)
        days = 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
        return datetime(
            year,
            month,
            1 + int(self.rnd() * days),
            self.hours.pick(self.rnd),
            int(self.rnd() * 60),
            int(self.rnd() * 60),
        )

    def operation(self, number: int) -> Operation:
        team = t.TEAMS[self.teams.pick(self.rnd)]
        place = PLACES_BY_CODE[self.team_places[team[0]].pick(self.rnd)]
        profile = _profile(place)
        conveyance = self.conveyances[place.code].pick(self.rnd)
        agency = self.agencies[profile].pick(self.rnd)
        origins, destinations = self.routes[profile]
        origin, destination = origins.pick(self.rnd), destinations.pick(self.rnd)
        if destination == origin:
            destination = "Uzbekistan" if origin != "Uzbekistan" else "Russia"
        subject, plate = self.subject(number, profile, conveyance)
        start = self.moment()
        visibility = (self.security_visibility if agency == t.SECURITY_SERVICE else self.visibility).pick(self.rnd)
        commodities = self.commodities[(profile, start.year >= 2023)]
        return Operation(
            f"{team[0]}-{start.year}-{number:06d}",
            team[1],
            place,
            profile,
            conveyance,
            agency,
            origin,
            destination,
            subject,
            plate,
            start,
            visibility,
            self.sizes.pick(self.rnd),
            commodities,
            commodities.pick(self.rnd),
        )

    def quantity(self, commodity: str, conveyance: str) -> tuple[str, str]:
        unit, _weight, median, sigma, decimals = self.units[commodity].pick(self.rnd)
        category = CATEGORY[commodity]
        scale = (
            (2.0 if conveyance in ("truck", "train") else 1.0)
            if category in ("weapons", "ammunition")
            else t.SCALE[conveyance]
        )
        spread = max(-3.5, min(3.5, self.gauss(0.0, 1.0)))  # no tail beyond what the importer finds plausible
        value = median * scale * math.exp(sigma * spread)
        if decimals == 0:
            return str(max(1, int(value + 0.5))), unit
        return f"{max(value, 10**-decimals):.{decimals}f}", unit

    def rows(self, count: int) -> Iterator[tuple]:
        """`count` rows of 24 strings, in the order of GENERATED_COLUMNS."""
        written, number = 0, 0
        while written < count:
            number += 1
            operation = self.operation(number)
            for index in range(min(operation.size, count - written)):
                written += 1
                yield seizure_row(self, operation, index, written)


def _pool_entry(seed: int, index: int) -> Subject:
    own = Generator.__new__(Generator)
    rng = random.Random(f"{seed}/pool/{index}")  # nosec B311
    own.rnd = rng.random
    nationality = own.choice(
        ["Uzbekistan"] * 5
        + ["Afghanistan", "Tajikistan", "Tajikistan", "Kazakhstan", "Kyrgyzstan", "Russia", "Turkmenistan"]
    )
    name, document = own.person(nationality)
    return Subject(name, document, nationality, own.plate(nationality, "truck" if own.rnd() < 0.55 else "car"))


def generate_rows(rows: int, seed: int) -> Iterator[tuple]:
    return Generator(seed).rows(rows)


def write_csv(rows: int, seed: int, out: TextIO) -> int:
    """Write the header and `rows` records to `out` (opened with newline="" and UTF-8)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GENERATED_COLUMNS)
    written = 0
    for row in generate_rows(rows, seed):
        writer.writerow(row)
        written += 1
    return written
