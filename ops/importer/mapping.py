"""How the free words of an imported file become our codes: concealment, conveyance, detection and the like.

Each function is pure and cheap; the row parser caches their answers per
distinct text, so a million rows cost a few hundred look-ups here.
"""

from __future__ import annotations

import re

from ops import vocab

# first match wins: the more specific phrase comes before the word it contains
CONCEALMENT_KEYWORDS = [
    ("declared as", "parcel_misdeclared"),
    ("misdeclared", "parcel_misdeclared"),
    ("false floor", "false_floor"),
    ("fuel tank", "fuel_tank"),
    ("spare tyre", "spare_tyre"),
    ("spare tire", "spare_tyre"),
    ("false-bottom", "false_bottom"),
    ("false bottom", "false_bottom"),
    ("sleeper", "cab_compartment"),
    ("cab ", "cab_compartment"),
    ("door", "door_panels"),
    ("dashboard", "dashboard"),
    ("bumper", "bumper"),
    ("gas cylinder", "gas_cylinder"),
    ("boot", "boot_lining"),
    ("refrigerat", "refrigeration_unit"),
    ("roof", "roof_cavity"),
    ("ceiling", "roof_cavity"),
    ("panelling", "wagon_panelling"),
    ("swallow", "internal"),
    ("internal", "internal"),
    ("body", "body_carry"),
    ("hand luggage", "hand_luggage"),
    ("checked baggage", "checked_baggage"),
    ("suitcase", "checked_baggage"),
    ("sewn", "clothing"),
    ("clothing", "clothing"),
    ("shoe", "shoes"),
    ("food", "food_containers"),
    ("toy", "toys"),
    ("bottle", "bottles_jars"),
    ("jar", "bottles_jars"),
    ("book", "books"),
    ("auto part", "auto_parts"),
    ("machine part", "auto_parts"),
    ("air filter", "auto_parts"),
    ("medicine", "medicines"),
    ("seat", "under_seat"),
    ("cargo", "cargo"),
    ("consignment", "cargo"),
    ("bales", "cargo"),
    ("grain", "cargo"),
    ("coal", "cargo"),
    ("luggage", "hand_luggage"),
    ("compartment", "cab_compartment"),
    ("not concealed", "none"),
    ("open view", "none"),
]

# words a narrative uses for how a seizure was found -> detection method
DETECTION_KEYWORDS = [
    ("controlled delivery", "controlled_delivery"),
    ("x-ray", "x_ray"),
    ("рентген", "x_ray"),
    ("sniffer dog", "k9"),
    ("k9", "k9"),
    ("служебн", "k9"),
    ("risk profiling", "profiling"),
    ("profiling", "profiling"),
    ("tip-off", "intelligence"),
    ("intelligence", "intelligence"),
    ("document check", "document_check"),
    ("random check", "random_check"),
]

# conveyance -> the role of the person travelling with the goods
PERSON_ROLE = {
    "truck": "driver",
    "car": "driver",
    "bus": "passenger",
    "train": "passenger",
    "pedestrian": "traveller",
    "postal": "recipient",
    "air_passenger": "traveller",
    "air_cargo": "recipient",
}
VEHICLE_TYPE = {"truck": "truck", "car": "car", "bus": "bus", "train": "rail_wagon"}
ROAD = frozenset({"truck", "car", "bus"})
WAGON = re.compile(r"^\s*(wagon|вагон)\b", re.IGNORECASE)

OP_TYPE_BY_PLACE_KIND = {
    "airport": "airport_screening",
    "postal": "postal_screening",
    "rail": "rail_inspection",
    "bcp": "checkpoint_inspection",
    "road": "checkpoint_inspection",
}
OP_TYPE_BY_CONVEYANCE = {
    "train": "rail_inspection",
    "postal": "postal_screening",
    "air_passenger": "airport_screening",
    "air_cargo": "airport_screening",
    "truck": "mobile_patrol",
    "car": "mobile_patrol",
    "bus": "mobile_patrol",
}

# most restrictive first: an operation takes the narrowest visibility of its rows
VISIBILITY_ORDER = ("team", "agency", "partners", "all")
VISIBILITY_RANK = {code: rank for rank, code in enumerate(VISIBILITY_ORDER)}


def concealment_code(text: str) -> str:
    """The nearest concealment code for a free description ("among a cargo of onions" -> cargo)."""
    key = text.strip().lower()
    if not key:
        return "other"
    if key.replace(" ", "_") in vocab.CONCEALMENTS:
        return key.replace(" ", "_")
    for word, code in CONCEALMENT_KEYWORDS:
        if word in key:
            return code
    return "other"


def conveyance_code(text: str) -> str | None:
    """ "air passenger" -> air_passenger; an empty cell is "other"; an unknown word None."""
    key = re.sub(r"[\s\-]+", "_", text.strip().lower())
    if not key:
        return "other"
    aliases = {
        "lorry": "truck",
        "passenger_car": "car",
        "rail": "train",
        "wagon": "train",
        "post": "postal",
        "parcel": "postal",
        "on_foot": "pedestrian",
        "air": "air_passenger",
    }
    key = aliases.get(key, key)
    return key if key in vocab.CONVEYANCES else None


def detection_code(narrative: str) -> str:
    """The detection method when the narrative says it plainly, otherwise "other"."""
    text = narrative.lower()
    for word, code in DETECTION_KEYWORDS:
        if word in text:
            return code
    return "other"


def operation_type(place, conveyance: str, narrative: str) -> str:
    if "controlled delivery" in narrative.lower():
        return "controlled_delivery"
    if place is not None and not (place.kind in ("bcp", "road") and conveyance == "train"):
        return OP_TYPE_BY_PLACE_KIND.get(place.kind, "other")
    return OP_TYPE_BY_CONVEYANCE.get(conveyance, "other")


def vehicle_type(plate: str, conveyance: str) -> str:
    if WAGON.match(plate):
        return "rail_wagon"
    return VEHICLE_TYPE.get(conveyance, "other")


def vehicle_country(plate: str, conveyance: str, nationality: str | None) -> str | None:
    """A road vehicle is taken to be registered where its driver comes from; a wagon says nothing."""
    if WAGON.match(plate) or conveyance not in ROAD:
        return None
    return nationality
