"""A deterministic register of the programme's equipment, and which items an operation used.

Two handover ceremonies like the programme's (one per donor and project), each
handing kits to four agencies; items go to the joint field teams or to
crossing points. Pure data: ops.equipment.demo writes it through the
register's services, so the demo's register passes the same checks as a user's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

DONORS = ("European Union", "Government of Japan")
# code, name, donor, programme component, period
PROJECTS = (
    ("BOMCA-10", "Border Management Programme in Central Asia, phase 10", "European Union", "Interagency mobile teams",
     date(2023, 1, 1), date(2027, 6, 30)),
    ("UNODC-BLO-JP", "Border liaison offices on the Afghan and Tajik borders", "Government of Japan",
     "Border liaison offices", date(2024, 1, 1), date(2026, 12, 31)),
)  # fmt: skip
RECIPIENTS = ("SCC", "SSS", "MIA", "SBS")
# handover date, project, what each recipient agency receives: (kind, make, model, value in USD, how many)
CEREMONIES = (
    (
        date(2024, 3, 12),
        "BOMCA-10",
        (
            ("radio", "Motorola", "DP4400e", Decimal("640.00"), 6),
            ("base_station", "Motorola", "DM4600e", Decimal("1450.00"), 1),
            ("vehicle", "Toyota", "Land Cruiser 76", Decimal("48500.00"), 1),
            ("interactive_board", "Promethean", "ActivPanel 75", Decimal("3900.00"), 1),
            ("drug_test_kit", "Mistral", "Detect 4 Drugs", Decimal("95.00"), 4),
        ),
    ),
    (
        date(2025, 5, 20),
        "UNODC-BLO-JP",
        (
            ("fibrescope", "Olympus", "IF8D4-30", Decimal("7800.00"), 1),
            ("xray_density_meter", "Viken", "Buster K910B", Decimal("5200.00"), 1),
            ("contraband_kit", "Sirchie", "CDK-2000", Decimal("2600.00"), 1),
            ("radio", "Hytera", "PD985", Decimal("520.00"), 4),
            ("laptop", "Lenovo", "ThinkPad T14", Decimal("1350.00"), 1),
        ),
    ),
)
FIELD_TEAMS = ("IMT-TER", "BLO-AYR")  # the demo's joint teams, in which every agency takes part
CROSSING_POINTS = ("AYRITOM", "OYBEK", "SARIOSIYO", "GALABA", "YALLAMA", "DUSTLIK", "JARTEPA", "ALAT")
# how likely an operation with such an item at hand is to use one
USE_RATE = {
    "radio": 0.7,
    "vehicle": 0.3,
    "fibrescope": 0.25,
    "xray_density_meter": 0.2,
    "contraband_kit": 0.3,
    "drug_test_kit": 0.35,
    "base_station": 0.1,
}

# some items leave service: agency -> (kind, new status, reason), once per batch of that agency
WEAR = {
    "SCC": (("vehicle", "in_repair", "Gearbox failure; at the dealer's workshop in Termez"),),
    "SBS": (("radio", "lost", "Lost during a night patrol on the river bank; reported to the commander"),),
    "MIA": (("drug_test_kit", "written_off", "All reagents used"),),
}


@dataclass(frozen=True)
class ItemSpec:
    kind: str
    make: str
    model: str
    serial: str
    inventory_number: str
    value: Decimal
    team: str | None  # a field team's code, or
    place: str | None  # a crossing point's code


@dataclass(frozen=True)
class BatchSpec:
    reference: str
    handed_over_on: date
    project: str
    agency: str
    items: tuple[ItemSpec, ...]


def register(seed: int = 20260101) -> list[BatchSpec]:
    """The batches, one per ceremony and recipient agency, with their items."""
    rng = random.Random(seed)
    batches = []
    for ceremony, (on, project, kit) in enumerate(CEREMONIES, start=1):
        for agency in RECIPIENTS:
            items, n = [], 0
            for kind, make, model, value, count in kit:
                for _ in range(count):
                    n += 1
                    holder = rng.random()
                    team = FIELD_TEAMS[n % 2] if holder < 0.5 else None
                    place = None if team else CROSSING_POINTS[rng.randrange(len(CROSSING_POINTS))]
                    serial = f"{make[:3].upper()}{rng.randrange(10**7, 10**8)}"
                    items.append(
                        ItemSpec(kind, make, model, serial, f"{agency}-{on:%y}-{ceremony}{n:03d}", value, team, place)
                    )
            batches.append(BatchSpec(f"HN-{on:%Y-%m}-{agency}", on, project, agency, tuple(items)))
    return batches


def pick_used(rng: random.Random, at_hand: list[tuple[int, str]]) -> list[int]:
    """Which of the items at hand (id, kind) an operation used: by kind, one or two radios, never all."""
    by_kind: dict[str, list[int]] = {}
    for item_id, kind in sorted(at_hand):
        by_kind.setdefault(kind, []).append(item_id)
    used = []
    for kind, ids in sorted(by_kind.items()):
        if rng.random() < USE_RATE.get(kind, 0.05):
            used += ids[: 2 if kind == "radio" and len(ids) > 1 and rng.random() < 0.5 else 1]
    return used
