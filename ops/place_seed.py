"""The crossing points and places the register started with (migration 0011 seeds them).

After the migration the register lives in the database (table `place`, kept by system
administrators; ops/places.py reads it). This list stays for what runs without a database:
the generator of synthetic import files, and the tests' emptied PostgreSQL databases. The codes
are the ones records have carried since the first migration, so existing records keep their place.

Frozen: migration 0011 seeds the register from this list, so a change here would make databases
migrated later differ from those migrated before. Change places through /admin/places (or, for
every deployment at once, a new migration).

The counterparts across the border carry approximate coordinates (a few hundred metres off is
fine: they place a point on the map, nothing is computed from them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

HOME_COUNTRY = "UZ"

# The register's kinds; today's codes (bcp, rail, airport, postal, road) map onto them (LEGACY_KINDS).
PLACE_KINDS = ("road_crossing", "rail_crossing", "airport", "river_port", "postal_centre", "inland_checkpoint")
CROSSING_KINDS = frozenset({"road_crossing", "rail_crossing", "river_port"})
LEGACY_KINDS = {
    "bcp": "road_crossing",
    "rail": "rail_crossing",
    "airport": "airport",
    "postal": "postal_centre",
    "road": "inland_checkpoint",
}
# the one exception to the table above: a railway station in the capital is no border crossing
KIND_EXCEPTIONS = {"TAS_YUZHNY": "inland_checkpoint"}


@dataclass(frozen=True)
class Counterpart:
    name: str
    country: str
    lat: float
    lon: float


@dataclass(frozen=True)
class SeedPlace:
    code: str
    name: str  # the English name, as records store it in place_name
    name_ru: str
    name_uz: str
    region: str
    lat: float
    lon: float
    kind: str  # the legacy kind (bcp, rail, airport, postal, road): the generator's profiles key on it
    country: str  # the neighbouring country across the crossing point, if any (the generator's profile)
    counterpart: Counterpart | None = None

    @property
    def register_kind(self) -> str:
        return KIND_EXCEPTIONS.get(self.code) or LEGACY_KINDS[self.kind]


_P = SeedPlace
_C = Counterpart
PLACES = [
    _P(
        "AYRITOM",
        "Ayritom (Termez bridge)",
        "Айритом (Термезский мост)",
        "Ayritom (Termiz ko'prigi)",
        "Surkhandarya",
        37.2317,
        67.4275,
        "bcp",
        "AF",
        _C("Hairatan", "AF", 37.2270, 67.4200),
    ),
    _P(
        "TERMEZ_CARGO",
        "Termez cargo centre",
        "Термезский грузовой центр",
        "Termiz yuk markazi",
        "Surkhandarya",
        37.2530,
        67.3350,
        "bcp",
        "AF",
    ),
    _P(
        "GALABA",
        "Galaba rail",
        "Галаба (железнодорожный)",
        "G'alaba (temir yo'l)",
        "Surkhandarya",
        37.2085,
        67.3790,
        "rail",
        "AF",
        _C("Hairatan rail terminal", "AF", 37.2240, 67.4050),
    ),
    _P(
        "SARIOSIYO",
        "Sariosiyo",
        "Сариасия",
        "Sariosiyo",
        "Surkhandarya",
        38.4135,
        67.9561,
        "bcp",
        "TJ",
        _C("Tursunzoda", "TJ", 38.4400, 68.0200),
    ),
    _P(
        "OYBEK",
        "Oybek",
        "Ойбек",
        "Oybek",
        "Tashkent region",
        40.2545,
        69.2350,
        "bcp",
        "TJ",
        _C("Fotehobod", "TJ", 40.2450, 69.2450),
    ),
    _P(
        "JARTEPA",
        "Jartepa",
        "Джартепа",
        "Jartepa",
        "Samarkand",
        39.5610,
        67.4375,
        "bcp",
        "TJ",
        _C("Sarazm", "TJ", 39.5200, 67.4700),
    ),
    _P(
        "YALLAMA",
        "Yallama",
        "Яллама",
        "Yallama",
        "Tashkent region",
        41.0330,
        68.6330,
        "bcp",
        "KZ",
        _C("Zhibek Zholy", "KZ", 41.0500, 68.6200),
    ),
    _P("KELES", "Keles", "Келес", "Keles", "Tashkent region", 41.4200, 69.2000, "bcp", "KZ"),
    _P(
        "DAUT_OTA",
        "Daut-Ota",
        "Даут-Ата",
        "Dovut-ota",
        "Karakalpakstan",
        44.0200,
        56.8200,
        "bcp",
        "KZ",
        _C("Tazhen", "KZ", 44.0400, 56.7900),
    ),
    _P(
        "DUSTLIK",
        "Dustlik",
        "Дустлик",
        "Do'stlik",
        "Andijan",
        40.5350,
        72.7000,
        "bcp",
        "KG",
        _C("Dostuk", "KG", 40.5400, 72.7200),
    ),
    _P("UCHKURGAN", "Uchkurgan", "Учкурган", "Uchqo'rg'on", "Namangan", 41.1130, 72.0850, "bcp", "KG"),
    _P("ALAT", "Alat", "Алат", "Olot", "Bukhara", 39.4100, 63.7700, "bcp", "TM", _C("Farap", "TM", 39.3900, 63.7300)),
    _P(
        "TAS_AIRPORT",
        "Tashkent airport",
        "Аэропорт Ташкент",
        "Toshkent aeroporti",
        "Tashkent city",
        41.2579,
        69.2812,
        "airport",
        "",
    ),
    _P(
        "SKD_AIRPORT",
        "Samarkand airport",
        "Аэропорт Самарканд",
        "Samarqand aeroporti",
        "Samarkand",
        39.7005,
        66.9838,
        "airport",
        "",
    ),
    _P(
        "TAS_MAIL",
        "Tashkent international mail centre",
        "Ташкентский международный почтамт",
        "Toshkent xalqaro pochtamti",
        "Tashkent city",
        41.3000,
        69.2700,
        "postal",
        "",
    ),
    _P(
        "TAS_YUZHNY",
        "Tashkent-Yuzhny rail station",
        "Станция Ташкент-Южный",
        "Toshkent-Janubiy temir yo'l stansiyasi",
        "Tashkent city",
        41.2700,
        69.2400,
        "rail",
        "",
    ),
    _P(
        "SHEROBOD",
        "Sherobod road checkpoint",
        "Автомобильный пост Шерабад",
        "Sherobod avtomobil nazorat posti",
        "Surkhandarya",
        37.6700,
        67.0000,
        "road",
        "",
    ),
    _P(
        "GUZAR",
        "Guzar road checkpoint",
        "Автомобильный пост Гузар",
        "G'uzor avtomobil nazorat posti",
        "Kashkadarya",
        38.6200,
        66.2500,
        "road",
        "",
    ),
    _P("CHINAZ", "Chinaz post", "Пост Чиназ", "Chinoz posti", "Tashkent region", 40.9400, 68.7600, "road", ""),
]
PLACES_BY_CODE = {p.code: p for p in PLACES}
PLACES_BY_NAME = {p.name.lower(): p for p in PLACES}


def register_rows() -> list[dict]:
    """The seed as rows of the `place` table (the migration's and the tests' insert)."""
    rows = []
    for place in PLACES:
        other = place.counterpart
        rows.append(
            {
                "code": place.code,
                "name_en": place.name,
                "name_ru": place.name_ru,
                "name_uz": place.name_uz,
                "kind": place.register_kind,
                "region": place.region,
                "lat": place.lat,
                "lon": place.lon,
                "country": HOME_COUNTRY,
                "counterpart_name": other.name if other else "",
                "counterpart_country": other.country if other else None,
                "counterpart_lat": other.lat if other else None,
                "counterpart_lon": other.lon if other else None,
                "is_active": True,
                "version": 1,
            }
        )
    return rows


# --- the register's shape: what ops.places reads from the database, and the seed in that shape ---


@dataclass(frozen=True)
class PlaceFields:
    """A place's own fields (its code and teams apart): what the register's form gives and its table keeps."""

    name_uz: str
    name_ru: str
    name_en: str  # the English name, the one records store in place_name
    kind: str
    region: str
    lat: float
    lon: float
    country: str
    counterpart_name: str = ""
    counterpart_country: str | None = None
    counterpart_lat: float | None = None
    counterpart_lon: float | None = None
    is_active: bool = True


PLACE_FIELDS = tuple(PlaceFields.__dataclass_fields__)


@dataclass(frozen=True, kw_only=True)
class RegisterPlace(PlaceFields):
    """One place of the register, as every caller reads it (vocab.PLACES and friends)."""

    code: str
    team_ids: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        return self.name_en

    @property
    def is_crossing(self) -> bool:
        return self.kind in CROSSING_KINDS

    def label(self, language: str) -> str:
        """The name in `language` (uz, ru, en); English when that one is missing."""
        return {"uz": self.name_uz, "ru": self.name_ru}.get(language) or self.name


@dataclass(frozen=True)
class Register:
    """The places, and their lookups by code and by any of their names (lower case)."""

    places: tuple[RegisterPlace, ...]  # the active ones: what forms and filters offer
    retired: tuple[RegisterPlace, ...] = ()  # still named by records, offered nowhere
    by_code: dict = field(init=False, compare=False, repr=False)
    by_name: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        every = self.all_places
        object.__setattr__(self, "by_code", {p.code: p for p in every})
        by_name = {}
        for language in ("uz", "ru", "en"):  # English wins a clash: it is what records store
            by_name.update({p.label(language).lower(): p for p in every})
        object.__setattr__(self, "by_name", by_name)

    @property
    def all_places(self) -> tuple[RegisterPlace, ...]:
        return self.places + self.retired


def register_place(row, team_ids: Iterable[int] = ()) -> RegisterPlace:
    """A place of the register from a row of the `place` table (a Place, or the seed's row as a namespace)."""
    values = {name: getattr(row, name) for name in PLACE_FIELDS}
    return RegisterPlace(code=row.code, team_ids=tuple(sorted(team_ids)), **values)


def seed_register() -> Register:
    """The seed as a register: what vocab answers where no database is at hand (the generator, scripts)."""
    return Register(tuple(register_place(SimpleNamespace(**row)) for row in register_rows()))


SEED_REGISTER = seed_register()
