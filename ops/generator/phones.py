"""Generated persons' phone numbers: the import format's optional `person_phones` column.

A person's numbers are a function of (seed, name, document) alone, drawn from a hash and not from the
generator's stream: so every other column stays byte for byte what it was, a recurring subject carries
the same numbers in every record (the identifier lookup and correlations find them), and files stay
prefixes of larger ones. About 60% of persons have one or two numbers in E.164, separated by ";" as the
importer reads them; one person in ten with a number shares one of a small pool of numbers per seed
(a courier network's telephone), so that different people are linked by a number too.
"""

from __future__ import annotations

from hashlib import blake2b

WITH_PHONES = 60  # per 100 persons
SHARED = 10  # per 100 persons with a number: one of them is from the shared pool
SHARED_POOL = 40
# (country calling code, mobile prefixes, digits after the prefix) of the generator's nationalities
MOBILE = {
    "Uzbekistan": ("998", ("90", "91", "93", "94", "95", "97", "98", "99", "33", "88"), 7),
    "Tajikistan": ("992", ("90", "91", "92", "93", "98", "88", "55"), 7),
    "Afghanistan": ("93", ("70", "72", "77", "78", "79"), 7),
    "Kazakhstan": ("7", ("701", "702", "705", "707", "747", "771", "775", "777"), 7),
    "Kyrgyzstan": ("996", ("550", "555", "700", "707", "770", "777"), 6),
    "Russia": ("7", ("903", "905", "912", "915", "916", "926"), 7),
    "Turkmenistan": ("993", ("61", "62", "63", "64", "65", "71"), 6),
    "Turkey": ("90", ("530", "532", "535", "542", "555"), 7),
    "Pakistan": ("92", ("300", "301", "321", "333", "345"), 7),
    "India": ("91", ("98", "97", "96", "90"), 8),
}


class _Draws:
    """Numbers in [0, n) from one hash of a key: cheap, and the same on every machine and Python."""

    def __init__(self, key: str):
        self.value = int.from_bytes(blake2b(key.encode("utf-8"), digest_size=32).digest(), "big")

    def below(self, n: int) -> int:
        self.value, drawn = divmod(self.value, n)
        return drawn


def _number(draws: _Draws, nationality: str) -> str:
    code, prefixes, digits = MOBILE.get(nationality, MOBILE["Uzbekistan"])
    rest = str(draws.below(10**digits)).zfill(digits)
    return f"+{code}{prefixes[draws.below(len(prefixes))]}{rest}"


def shared_number(seed: int, index: int) -> str:
    """One number of the seed's shared pool (Uzbek SIM cards)."""
    return _number(_Draws(f"{seed}/shared-phone/{index}"), "Uzbekistan")


def person_phones(seed: int, name: str, document: str, nationality: str) -> str:
    """The `person_phones` value of this person: "", one number, or two separated by ";"."""
    if not name:
        return ""
    draws = _Draws(f"{seed}/phones/{name}/{document}")
    if draws.below(100) >= WITH_PHONES:
        return ""
    numbers = [_number(draws, nationality)]
    if draws.below(100) < 35:  # a second number, often a local SIM card of a foreigner
        numbers.append(_number(draws, "Uzbekistan" if draws.below(2) else nationality))
    if draws.below(100) < SHARED:
        numbers[-1] = shared_number(seed, draws.below(SHARED_POOL))
    return ";".join(dict.fromkeys(numbers))
