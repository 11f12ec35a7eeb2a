"""Controlled vocabularies: the language-neutral codes stored in the database and their labels.

Stored values are always the codes on the left; labels go through gettext so
that the interface and exports show them in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from flask import g, has_app_context, has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from ops import place_seed

# The longest narrative any channel accepts (form, API, import): a record must stay amendable
# through the form, so no channel may store more than the form allows.
NARRATIVE_MAX_LENGTH = 20_000

ROLES = {
    "officer": _l("Officer"),
    "lead": _l("Team lead"),
    "supervisor": _l("Supervisor"),
    "analyst": _l("Analyst"),
    "auditor": _l("Auditor"),
    "admin": _l("Agency administrator"),
    "programme_officer": _l("Programme officer"),
}

STATUSES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "returned": _l("Returned"),
    "approved": _l("Approved"),
}

VISIBILITIES = {
    "team": _l("Team only"),
    "agency": _l("Own agency"),
    "partners": _l("Partner agencies"),
    "all": _l("All agencies"),
}

# --- need-to-know: handling codes and grading ------------------------------------------

HANDLING_CODES = {
    "H0": _l("H0 — no restriction"),
    "H1": _l("H1 — not for use in court without the owner's permission"),
    "H2": _l("H2 — no further dissemination without the owner's permission"),
    "H3": _l("H3 — other conditions"),
}
# H2 stays with the readers the owner chose: never "all agencies", never in other agencies' exports
NO_FURTHER_DISSEMINATION = "H2"
CONDITIONS_CODE = "H3"  # the one code that needs a conditions text

SOURCE_RELIABILITY = {
    "A": _l("A — always reliable"),
    "B": _l("B — mostly reliable"),
    "C": _l("C — sometimes reliable"),
    "D": _l("D — unreliable"),
    "X": _l("X — reliability cannot be judged"),
}
INFORMATION_ASSESSMENT = {
    "1": _l("1 — known to be true without reservation"),
    "2": _l("2 — known personally to the source but not to the officer"),
    "3": _l("3 — not known personally to the source but corroborated"),
    "4": _l("4 — cannot be judged"),
}
# a grade is stored as one code: reliability letter then assessment digit ("B2"); "" is ungraded
GRADINGS = frozenset(r + a for r in SOURCE_RELIABILITY for a in INFORMATION_ASSESSMENT)
# detection methods whose records must be graded before they are submitted
GRADED_DETECTIONS = frozenset({"intelligence", "profiling"})


def grading_label(code: str | None) -> str:
    """ "B2" -> "B2 (B — mostly reliable; 2 — known personally ...)"; "" -> ungraded."""
    if not code:
        return translated(_UNGRADED)
    if code not in GRADINGS:
        return code
    return f"{code} ({label(SOURCE_RELIABILITY, code[0])}; {label(INFORMATION_ASSESSMENT, code[1])})"


_UNGRADED = _l("ungraded")

# what a foreign counterpart office receives is written in one of these (agency.receive_language);
# their names come from CLDR through Babel, in the reader's language (language_name)
RECEIVE_LANGUAGES = ("ru", "en")


def language_name(code: str) -> str:
    """ "ru" -> "Russian" / "русский" / "rus", in the reader's language."""
    try:
        reader = get_locale() if has_request_context() else None
    except RuntimeError:
        reader = None
    return Locale(code).get_language_name(reader or Locale("en"))


TEAM_KINDS = {"imt": _l("Interagency mobile team"), "blo": _l("Border liaison office"), "hq": _l("Headquarters unit")}

OPERATION_TYPES = {
    "checkpoint_inspection": _lp("operation type", "Checkpoint inspection"),
    "mobile_patrol": _lp("operation type", "Mobile patrol"),
    "controlled_delivery": _lp("operation type", "Controlled delivery"),
    "joint_raid": _lp("operation type", "Joint raid"),
    "rail_inspection": _lp("operation type", "Rail inspection"),
    "airport_screening": _lp("operation type", "Airport screening"),
    "postal_screening": _lp("operation type", "Postal screening"),
    "other": _lp("operation type", "Other"),
}

# planned operations (ops.plans): what is planned, and a plan's state
PLAN_KINDS = {
    "controlled_delivery": _lp("plan kind", "Controlled delivery"),
    "joint_raid": _lp("plan kind", "Joint raid"),
    "surveillance": _lp("plan kind", "Surveillance"),
    "mobile_checkpoint": _lp("plan kind", "Mobile checkpoint"),
    "other": _lp("plan kind", "Other"),
}
# the operation type a report on a plan of this kind starts with
PLAN_KIND_OPERATION_TYPES = {
    "controlled_delivery": "controlled_delivery",
    "joint_raid": "joint_raid",
    "surveillance": "other",
    "mobile_checkpoint": "mobile_patrol",
    "other": "other",
}
PLAN_STATUSES = {
    "active": _lp("plan status", "Active"),
    "cancelled": _lp("plan status", "Cancelled"),
    "expired": _lp("plan status", "Expired"),
}

CATEGORIES = {
    "drugs": _lp("seizure category", "Drugs"),
    "precursors": _lp("seizure category", "Precursors"),
    "weapons": _lp("seizure category", "Weapons"),
    "ammunition": _lp("seizure category", "Ammunition"),
    "cash": _lp("seizure category", "Cash"),
    "other": _lp("seizure category", "Other"),
}

# --- the programme's equipment register ---------------------------------------------------

EQUIPMENT_KINDS = {
    "radio": _l("Radio"),
    "base_station": _l("Radio base station"),
    "interactive_board": _l("Interactive board"),
    "vehicle": _l("Vehicle"),
    "xray_density_meter": _l("X-ray or density meter"),
    "fibrescope": _l("Fibrescope"),
    "contraband_kit": _l("Contraband detection kit"),
    "drug_test_kit": _l("Drug and precursor test kit"),
    "laptop": _l("Laptop computer"),
    "camera": _l("Camera"),
    "gps": _l("GPS receiver"),
    "other": _l("Other"),
}

EQUIPMENT_STATUSES = {
    "in_service": _l("In service"),
    "in_repair": _l("In repair"),
    "lost": _l("Lost"),
    "written_off": _l("Written off"),
}

CURRENCIES = ("USD", "EUR", "RUB", "UZS", "KZT", "KGS", "TJS", "CNY", "AED", "TRY", "GBP")

UNITS = {
    "g": _l("g"),
    "kg": _l("kg"),
    "l": _l("l"),
    "tablets": _l("tablets"),
    "plants": _l("plants"),
    "pieces": _l("pieces"),
    "rounds": _l("rounds"),
    **{code: code for code in CURRENCIES},
}

UNITS_BY_CATEGORY = {
    "drugs": ("kg", "g", "l", "tablets", "plants"),
    "precursors": ("kg", "g", "l", "tablets"),
    "weapons": ("pieces",),
    "ammunition": ("rounds", "pieces"),
    "cash": CURRENCIES,
    "other": ("pieces", "kg", "g", "l"),
}


@dataclass(frozen=True)
class Commodity:
    code: str
    category: str
    label: object
    # kg per litre (liquids) and kg per tablet; None where no conversion is defined
    kg_per_litre: Decimal | None = None
    kg_per_tablet: Decimal | None = None
    unodc_name: str = ""


def _c(code, category, label, litre=None, tablet=None, unodc=""):
    return Commodity(
        code, category, label, Decimal(litre) if litre else None, Decimal(tablet) if tablet else None, unodc
    )


COMMODITY_LIST = [
    _c("heroin", "drugs", _l("Heroin"), unodc="Heroin"),
    _c("opium", "drugs", _l("Opium"), unodc="Opium"),
    _c("cannabis_resin", "drugs", _l("Cannabis resin (hashish)"), unodc="Cannabis resin"),
    _c("cannabis_herb", "drugs", _l("Cannabis herb"), unodc="Cannabis herb"),
    _c("cannabis_plants", "drugs", _l("Cannabis plants"), unodc="Cannabis plants"),
    _c("poppy_straw", "drugs", _l("Poppy straw"), unodc="Poppy straw"),
    _c("morphine", "drugs", _l("Morphine"), unodc="Morphine"),
    _c("methamphetamine", "drugs", _l("Methamphetamine"), tablet="0.0001", unodc="Methamphetamine"),
    _c("amphetamine", "drugs", _l("Amphetamine"), tablet="0.0001", unodc="Amphetamine"),
    _c("mephedrone", "drugs", _l("Mephedrone"), unodc="Mephedrone"),
    _c("alpha_pvp", "drugs", _l("Alpha-PVP"), unodc="alpha-PVP"),
    _c("synthetic_cannabinoids", "drugs", _l("Synthetic cannabinoids"), unodc="Synthetic cannabinoids"),
    _c("cocaine", "drugs", _l("Cocaine"), unodc="Cocaine"),
    _c("tramadol", "drugs", _l("Tramadol"), tablet="0.0001", unodc="Tramadol"),
    _c("pregabalin", "drugs", _l("Pregabalin"), tablet="0.0003", unodc="Pregabalin"),
    _c("codeine_syrup", "drugs", _l("Codeine syrup"), litre="1.0", unodc="Codeine"),
    _c("acetic_anhydride", "precursors", _l("Acetic anhydride"), litre="1.08", unodc="Acetic anhydride"),
    _c("ephedrine", "precursors", _l("Ephedrine"), tablet="0.00005", unodc="Ephedrine"),
    _c("pseudoephedrine", "precursors", _l("Pseudoephedrine"), tablet="0.00006", unodc="Pseudoephedrine"),
    _c("sulphuric_acid", "precursors", _l("Sulphuric acid"), litre="1.84", unodc="Sulphuric acid"),
    _c("potassium_permanganate", "precursors", _l("Potassium permanganate"), unodc="Potassium permanganate"),
    _c("pistol", "weapons", _l("Pistol")),
    _c("assault_rifle", "weapons", _l("Assault rifle")),
    _c("hunting_rifle", "weapons", _l("Hunting rifle")),
    _c("hand_grenade", "weapons", _l("Hand grenade")),
    _c("converted_gas_pistol", "weapons", _l("Converted gas pistol")),
    _c("weapon_parts", "weapons", _l("Weapon parts")),
    _c("cartridges_545", "ammunition", _l("5.45 mm cartridges")),
    _c("cartridges_762", "ammunition", _l("7.62 mm cartridges")),
    _c("cartridges_9mm", "ammunition", _l("9 mm cartridges")),
    _c("shotgun_shells_12", "ammunition", _l("12-gauge shotgun shells")),
    _c("cash_usd", "cash", _l("Undeclared US dollars")),
    _c("cash_eur", "cash", _l("Undeclared euros")),
    _c("cash_rub", "cash", _l("Undeclared roubles")),
    _c("cash_other", "cash", _l("Other undeclared cash")),
    _c("counterfeit_cigarettes", "other", _l("Counterfeit cigarettes")),
    _c("mobile_phones", "other", _l("Mobile phones")),
    _c("gold_jewellery", "other", _l("Gold jewellery")),
    _c("counterfeit_medicines", "other", _l("Counterfeit medicines")),
    _c("saker_falcons", "other", _l("Saker falcons")),
    _c("extremist_literature", "other", _l("Prohibited extremist literature")),
    _c("forged_documents", "other", _l("Forged documents")),
    _c("other", "other", _l("Other goods")),
]
COMMODITIES = {c.code: c for c in COMMODITY_LIST}
COMMODITY_LABELS = {c.code: c.label for c in COMMODITY_LIST}  # for label(table, code)

# Names used by agencies' spreadsheets and the CSV import format -> our codes.
COMMODITY_ALIASES = {
    "hashish": "cannabis_resin",
    "cannabis resin": "cannabis_resin",
    "cannabis herb": "cannabis_herb",
    "marijuana": "cannabis_herb",
    "cannabis plants": "cannabis_plants",
    "poppy straw": "poppy_straw",
    "alpha-pvp": "alpha_pvp",
    "synthetic cannabinoids": "synthetic_cannabinoids",
    "tramadol tablets": "tramadol",
    "pregabalin capsules": "pregabalin",
    "codeine syrup": "codeine_syrup",
    "acetic anhydride": "acetic_anhydride",
    "pseudoephedrine tablets": "pseudoephedrine",
    "sulphuric acid": "sulphuric_acid",
    "potassium permanganate": "potassium_permanganate",
    "assault rifle": "assault_rifle",
    "hunting rifle": "hunting_rifle",
    "hand grenade": "hand_grenade",
    "converted gas pistol": "converted_gas_pistol",
    "weapon parts": "weapon_parts",
    "5.45 mm cartridges": "cartridges_545",
    "7.62 mm cartridges": "cartridges_762",
    "9 mm cartridges": "cartridges_9mm",
    "12-gauge shotgun shells": "shotgun_shells_12",
    "undeclared usd cash": "cash_usd",
    "undeclared eur cash": "cash_eur",
    "undeclared rub cash": "cash_rub",
    "counterfeit cigarettes": "counterfeit_cigarettes",
    "mobile phones": "mobile_phones",
    "gold jewellery": "gold_jewellery",
    "counterfeit medicines": "counterfeit_medicines",
    "saker falcons": "saker_falcons",
    "prohibited extremist literature": "extremist_literature",
    "forged documents": "forged_documents",
}


def commodity_code(name: str) -> str | None:
    """Map a code or a spreadsheet name ("tramadol tablets") to our commodity code."""
    key = name.strip().lower()
    if key in COMMODITIES:
        return key
    return COMMODITY_ALIASES.get(key)


KG_PER_UNIT = {"kg": Decimal("1"), "g": Decimal("0.001")}


def kg_equivalent(commodity: str, unit: str, quantity: Decimal) -> Decimal | None:
    """Kilogram equivalent of a drug or precursor seizure, or None where none is defined.

    Mass units convert directly; litres use the commodity's density; tablets
    use its typical tablet mass. Plants, pieces and currencies have no mass
    equivalent, so they return None rather than a made-up number.
    """
    item = COMMODITIES.get(commodity)
    if item is None or item.category not in ("drugs", "precursors"):
        return None
    if unit in KG_PER_UNIT:
        factor = KG_PER_UNIT[unit]
    elif unit == "l":
        factor = item.kg_per_litre
    elif unit == "tablets":
        factor = item.kg_per_tablet
    else:
        factor = None
    if factor is None:
        return None
    return (Decimal(quantity) * factor).quantize(Decimal("0.000001"))


CONCEALMENTS = {
    "false_floor": _lp("concealment", "False floor"),
    "fuel_tank": _lp("concealment", "Fuel tank"),
    "spare_tyre": _lp("concealment", "Spare tyre"),
    "cargo": _lp("concealment", "Among legitimate cargo"),
    "cab_compartment": _lp("concealment", "Cab or sleeper compartment"),
    "door_panels": _lp("concealment", "Door panels"),
    "under_seat": _lp("concealment", "Under a seat"),
    "dashboard": _lp("concealment", "Dashboard"),
    "bumper": _lp("concealment", "Bumper cavity"),
    "gas_cylinder": _lp("concealment", "Gas cylinder"),
    "boot_lining": _lp("concealment", "Boot lining"),
    "refrigeration_unit": _lp("concealment", "Refrigeration unit"),
    "roof_cavity": _lp("concealment", "Roof cavity"),
    "wagon_panelling": _lp("concealment", "Wagon panelling"),
    "body_carry": _lp("concealment", "Body carry"),
    "hand_luggage": _lp("concealment", "Hand luggage"),
    "clothing": _lp("concealment", "Sewn into clothing"),
    "shoes": _lp("concealment", "Shoes"),
    "internal": _lp("concealment", "Internal (swallowed)"),
    "food_containers": _lp("concealment", "Food containers"),
    "parcel_misdeclared": _lp("concealment", "Misdeclared parcel"),
    "toys": _lp("concealment", "Inside toys"),
    "bottles_jars": _lp("concealment", "Bottles or jars"),
    "books": _lp("concealment", "Inside books"),
    "auto_parts": _lp("concealment", "Inside auto parts"),
    "checked_baggage": _lp("concealment", "Checked baggage"),
    "false_bottom": _lp("concealment", "False-bottom suitcase"),
    "medicines": _lp("concealment", "Among personal medicines"),
    "none": _lp("concealment", "Not concealed"),
    "other": _lp("concealment", "Other"),
}

CONVEYANCES = {
    "truck": _lp("conveyance", "Truck"),
    "car": _lp("conveyance", "Car"),
    "bus": _lp("conveyance", "Bus"),
    "train": _lp("conveyance", "Train"),
    "pedestrian": _lp("conveyance", "Pedestrian"),
    "postal": _lp("conveyance", "Postal item"),
    "air_passenger": _lp("conveyance", "Air passenger"),
    "air_cargo": _lp("conveyance", "Air cargo"),
    "other": _lp("conveyance", "Other"),
}

DETECTION_METHODS = {
    "x_ray": _lp("detection method", "X-ray"),
    "k9": _lp("detection method", "Detector dog (K9)"),
    "profiling": _lp("detection method", "Risk profiling"),
    "intelligence": _lp("detection method", "Intelligence"),
    "random_check": _lp("detection method", "Random check"),
    "document_check": _lp("detection method", "Document check"),
    "controlled_delivery": _lp("detection method", "Controlled delivery"),
    "other": _lp("detection method", "Other"),
}

PERSON_ROLES = {
    "driver": _lp("person role", "Driver"),
    "courier": _lp("person role", "Courier"),
    "passenger": _lp("person role", "Passenger"),
    "recipient": _lp("person role", "Recipient"),
    "sender": _lp("person role", "Sender"),
    "organiser": _lp("person role", "Organiser"),
    "traveller": _lp("person role", "Traveller"),
    "witness": _lp("person role", "Witness"),
    "other": _lp("person role", "Other"),
}

DOCUMENT_TYPES = {
    "passport": _lp("document type", "Passport"),
    "id_card": _lp("document type", "Identity card"),
    "driving_licence": _lp("document type", "Driving licence"),
    "seaman_book": _lp("document type", "Seaman's book"),
    "other": _lp("document type", "Other"),
}

VEHICLE_TYPES = {
    "truck": _lp("vehicle type", "Truck"),
    "semi_trailer": _lp("vehicle type", "Semi-trailer"),
    "car": _lp("vehicle type", "Car"),
    "minivan": _lp("vehicle type", "Minivan"),
    "bus": _lp("vehicle type", "Bus"),
    "rail_wagon": _lp("vehicle type", "Rail wagon"),
    "motorcycle": _lp("vehicle type", "Motorcycle"),
    "other": _lp("vehicle type", "Other"),
}


# --- places ------------------------------------------------------------------------------
# The crossing points and places are data: the register (table `place`) that system administrators
# keep, read by ops/places.py. These names stay for their many callers (pages, search, exports,
# importer): ops.places installs its reader here when the app is made (use_place_register); where
# there is no app (the generator, a script), they answer from the seed the register started with.
_place_reader = None
Place = place_seed.RegisterPlace  # the type of vocab.PLACES' entries, under its old name


def use_place_register(reader) -> None:
    """Install the callable that returns the current register (ops.places.current)."""
    global _place_reader
    _place_reader = reader


def place_register() -> place_seed.Register:
    if _place_reader is not None and has_app_context():
        return _place_reader()
    return place_seed.SEED_REGISTER


def __getattr__(name: str):
    # vocab.PLACES and friends, read from the register at each use (PEP 562)
    if name == "PLACES":
        return list(place_register().places)
    if name == "PLACES_BY_CODE":
        return place_register().by_code
    if name == "PLACES_BY_NAME":
        return place_register().by_name
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def reader_language() -> str:
    """The reader's language (uz, ru, en); English outside a request."""
    if not has_request_context():
        return "en"
    locale = get_locale()
    return locale.language if locale is not None else "en"


# the register's kinds of place (ops.place_seed.PLACE_KINDS; today's old codes map onto them there)
PLACE_KINDS = {
    "road_crossing": _l("Road crossing"),
    "rail_crossing": _l("Rail crossing"),
    "airport": _l("Airport"),
    "river_port": _l("River port"),
    "postal_centre": _l("Postal centre"),
    "inland_checkpoint": _l("Inland checkpoint"),
}

# Region names stay a vocabulary: the stored `region` is the Latin name, its label the reader's language.
REGION_LABELS = {
    "Surkhandarya": _l("Surkhandarya"),
    "Tashkent region": _l("Tashkent region"),
    "Samarkand": _l("Samarkand"),
    "Karakalpakstan": _l("Karakalpakstan"),
    "Andijan": _l("Andijan"),
    "Namangan": _l("Namangan"),
    "Bukhara": _l("Bukhara"),
    "Tashkent city": _l("Tashkent city"),
    "Kashkadarya": _l("Kashkadarya"),
    "Fergana": _l("Fergana"),
    "Jizzakh": _l("Jizzakh"),
    "Khorezm": _l("Khorezm"),
    "Navoiy": _l("Navoiy"),
    "Syrdarya": _l("Syrdarya"),
}


def place_label(code: str | None, name: str = "") -> str:
    """A registered place in the reader's language; a place typed by hand as it was typed."""
    place = place_register().by_code.get(code or "")
    return place.label(reader_language()) if place is not None else name


def place_label_by_name(name: str | None) -> str:
    """A stored place name (as search filters and facets carry it) in the reader's language."""
    place = place_register().by_name.get((name or "").lower())
    return place.label(reader_language()) if place is not None else (name or "")


def region_label(region: str | None) -> str:
    found = REGION_LABELS.get(region or "")
    return (region or "") if found is None else translated(found)


# ISO 3166-1 alpha-2 codes; names come from CLDR through Babel, in the reader's language.
_ENGLISH = Locale("en")
COUNTRY_CODES = tuple(
    sorted(
        code
        for code in _ENGLISH.territories
        if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"}
    )
)
_COUNTRY_BY_ENGLISH_NAME = {_ENGLISH.territories[c].lower(): c for c in COUNTRY_CODES}
_COUNTRY_BY_ENGLISH_NAME.update({"russia": "RU", "united states": "US", "turkey": "TR", "iran": "IR"})


def country_code(value: str) -> str | None:
    """Accept an ISO code ("UZ") or an English country name ("Uzbekistan")."""
    text = value.strip()
    if text.upper() in COUNTRY_CODES:
        return text.upper()
    return _COUNTRY_BY_ENGLISH_NAME.get(text.lower())


def country_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        locale = get_locale() or _ENGLISH
    except RuntimeError:  # outside a request
        locale = _ENGLISH
    return locale.territories.get(code, code)


def translated(lazy) -> str:
    """The text of one of this module's constant labels, translated once per request.

    An export writes the same few dozen labels on every one of its rows, and each
    gettext lookup costs more than writing the row; the request's cache keys on the
    label object itself, which lives as long as the module.
    """
    if not has_request_context():
        return str(lazy)
    cache = g.setdefault("_vocab_labels", {})
    text = cache.get(id(lazy))
    if text is None:
        text = cache[id(lazy)] = str(lazy)
    return text


def label(table: dict, code: str | None) -> str:
    """The display label of a stored code; an unknown code is shown as it is, never hidden."""
    if code is None:
        return ""
    found = table.get(code)
    return code if found is None else translated(found)


def commodity_label(code: str) -> str:
    commodity = COMMODITIES.get(code)
    return translated(commodity.label) if commodity else code


# --- plausibility limits for seizure quantities ----------------------------------------
# A quantity above these is refused as a typing error (an extra zero, a plate number
# typed into the wrong box); a real seizure larger than this is reported to HQ directly.
MAX_QUANTITY_BY_UNIT = {
    "kg": Decimal("100000"),
    "g": Decimal("100000000"),
    "l": Decimal("100000"),
    "tablets": Decimal("50000000"),
    "plants": Decimal("10000000"),
    "pieces": Decimal("1000000"),
    "rounds": Decimal("10000000"),
    **{code: Decimal("10000000000") for code in CURRENCIES},
}
# counted units take whole numbers only
WHOLE_UNITS = frozenset({"tablets", "plants", "pieces", "rounds"})


def commodities_by_category() -> dict[str, list[str]]:
    """Commodity codes of each category, in list order (for forms and their script)."""
    grouped: dict[str, list[str]] = {code: [] for code in CATEGORIES}
    for item in COMMODITY_LIST:
        grouped[item.category].append(item.code)
    return grouped


def local_name(organisation) -> str:
    """An agency's or team's name in the reader's language (name_uz, name_ru, name_en); `name` when that is blank."""
    if organisation is None:
        return ""
    return getattr(organisation, f"name_{reader_language()}", "") or organisation.name
