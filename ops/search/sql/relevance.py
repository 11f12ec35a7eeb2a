"""Best match: seizures whose own facts are what the user typed come first.

A term scores a point on a seizure when it names that seizure's commodity,
category, conveyance, concealment, detection method, location, region or a
route country, rather than only appearing in the narrative; ties go to the
newest. Analysts search structured records, and this order says why a row
is on top. It is one SQL expression over the seizure's own columns, the
same on SQLite and PostgreSQL, and cheap enough to order tens of thousands
of matches (text-statistics ranks such as bm25 and ts_rank cost several
microseconds per match and mostly reorder near-identical records).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import case, literal, or_

from ops import normalize, vocab
from ops.models import Seizure
from ops.search.language.text import Term


def _contains(words: tuple[str, ...], phrase: tuple[str, ...], prefix: bool) -> bool:
    size = len(phrase)
    for start in range(len(words) - size + 1):
        window = words[start : start + size]
        last_ok = window[-1].startswith(phrase[-1]) if prefix else window[-1] == phrase[-1]
        if window[:-1] == phrase[:-1] and last_ok:
            return True
    return False


def _vocabularies() -> dict:
    """column -> [(words, stored value)] of the coded facts a term can name."""
    return _vocabularies_of(vocab.place_register())


@lru_cache(maxsize=2)  # per register of places: an administrator's change is read at the next search
def _vocabularies_of(register) -> dict:

    def codes(table) -> list:
        return [(tuple(code.split("_")), code) for code in table]

    return {
        Seizure.commodity: codes(vocab.COMMODITIES),
        Seizure.category: codes(vocab.CATEGORIES),
        Seizure.conveyance: codes(vocab.CONVEYANCES),
        Seizure.concealment: codes(vocab.CONCEALMENTS),
        Seizure.detection: codes(vocab.DETECTION_METHODS),
        Seizure.op_place: [(tuple(w.lower() for w in normalize.words(p.name)), p.name) for p in register.places],
        Seizure.op_region: [
            (tuple(w.lower() for w in normalize.words(r)), r) for r in sorted({p.region for p in register.places})
        ],
    }


def _country(phrase: tuple[str, ...]):
    if len(phrase) == 1 and phrase[0].startswith("cty") and len(phrase[0]) == 5:
        code = phrase[0][3:].upper()
        transit = (" " + Seizure.transit_countries + " ").contains(f" {code} ", autoescape=True)
        return or_(Seizure.origin_country == code, Seizure.destination_country == code, transit)
    return None


def _names_fact(term: Term):
    conditions = []
    for n, phrase in enumerate(term.phrases):
        prefix = term.prefix and n == 0
        for column, entries in _vocabularies().items():
            values = [value for words, value in entries if _contains(words, phrase, prefix)]
            if values:
                conditions.append(column.in_(values))
        country = _country(phrase)
        if country is not None:
            conditions.append(country)
    return or_(*conditions) if conditions else None


def score(terms: list[Term]):
    """An integer SQL expression: how many terms name one of the seizure's facts."""
    points = [case((condition, 1), else_=0) for condition in map(_names_fact, terms) if condition is not None]
    if not points:
        return literal(0)
    total = points[0]
    for point in points[1:]:
        total = total + point
    return total
