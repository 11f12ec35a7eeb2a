"""The kilogram-equivalent table: the numbers, the cases without an equivalent, and the README agreeing."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from ops import vocab

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize(
    "commodity,unit,quantity,expected",
    [
        ("heroin", "kg", "12.5", "12.5"),
        ("heroin", "g", "1500", "1.5"),
        ("opium", "g", "0.5", "0.0005"),
        ("tramadol", "tablets", "12000", "1.2"),
        ("pregabalin", "tablets", "1000", "0.3"),
        ("ephedrine", "tablets", "3", "0.00015"),
        ("pseudoephedrine", "tablets", "100000", "6"),
        ("codeine_syrup", "l", "2.5", "2.5"),
        ("acetic_anhydride", "l", "20", "21.6"),
        ("sulphuric_acid", "l", "0.5", "0.92"),
        ("potassium_permanganate", "kg", "40", "40"),
    ],
)
def test_kg_equivalents(commodity, unit, quantity, expected):
    assert vocab.kg_equivalent(commodity, unit, Decimal(quantity)) == Decimal(expected)


@pytest.mark.parametrize(
    "commodity,unit",
    [
        ("heroin", "l"),  # no density known: no guess
        ("heroin", "tablets"),
        ("cannabis_plants", "plants"),  # plants have no mass equivalent
        ("acetic_anhydride", "tablets"),
        ("pistol", "pieces"),  # not a drug or precursor
        ("cash_usd", "USD"),
        ("counterfeit_cigarettes", "kg"),
        ("unknown", "kg"),
    ],
)
def test_no_equivalent_where_none_is_defined(commodity, unit):
    assert vocab.kg_equivalent(commodity, unit, Decimal("10")) is None


def test_the_readme_table_matches_the_vocabulary():
    rows = re.findall(r"^\| `(\w+)` \| ([\d.—]+) \| ([\d.—]+) \|$", README.read_text(), flags=re.M)
    documented = {code: (litre, tablet) for code, litre, tablet in rows}
    expected = {
        c.code: (str(c.kg_per_litre) if c.kg_per_litre else "—", str(c.kg_per_tablet) if c.kg_per_tablet else "—")
        for c in vocab.COMMODITY_LIST
        if c.kg_per_litre or c.kg_per_tablet
    }
    assert documented == expected
