"""Persons' names across alphabets and word orders: the one name-matching module.

Uzbek and Russian names reach the product in Latin and in Cyrillic, and in
several Latin spellings of one Cyrillic name ("Рахимов": Rahimov, Raximov,
Rakhimov). Each part of a name is reduced to a *key*: its Latin form (Uzbek
Cyrillic letters through `UzTransliterator`, whatever Russian letters remain
through `iuliia`'s ICAO Doc 9303 scheme, the one in passports), case-folded,
with the spelling variants that tell those schemes apart folded together
(kh = x = h, zh = dzh = j, q = k, o' = u, ...). Two spellings of one name
have the same key; lookups, masking and hits compare keys.

This module is on the ground floor: it imports nothing of the product.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import iuliia
from UzTransliterator import UzTransliterator

_UZ = UzTransliterator()
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# the apostrophes of Uzbek Latin (o', g', the tutuq belgisi) as people type them
_APOSTROPHES = str.maketrans({c: "'" for c in "ʻʼ‘’`´ʹ"})
# a word: letters and digits, with apostrophes inside (O'tkir, G'ulomov)
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

# Latin spelling variants folded into one key, longest first (order matters)
_FOLDS = (
    ("shch", "sh"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("x", "h"),
    ("q", "k"),
    ("o'", "u"),
    ("g'", "g"),
    ("'", ""),
    ("ts", "s"),
    ("y", "i"),
    ("w", "v"),
)
_DOUBLES = re.compile(r"(.)\1+")
# Russian-style Cyrillic of an Uzbek Cyrillic spelling (Раҳимов is written Рахимов in Russian)
_RUSSIAN_CYRILLIC = str.maketrans("ҳқғўҲҚҒЎ", "хкгуХКГУ")
# ICAO and common Latin digraphs put back to the letters Uzbek Latin uses, before spelling in Cyrillic
_TO_UZBEK_LATIN = (("shch", "sh"), ("dzh", "j"), ("zh", "j"), ("kh", "x"), ("ts", "s"), ("iu", "yu"), ("ia", "ya"))


def fold(text: str | None) -> str:
    """Unicode-normal, case-folded, one kind of apostrophe."""
    return unicodedata.normalize("NFKC", text or "").translate(_APOSTROPHES).casefold()


def parts(name: str | None) -> list[str]:
    """The words of a name, folded: "Rahimov  Jasur" -> ["rahimov", "jasur"]."""
    return WORD.findall(fold(name))


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


@lru_cache(maxsize=65536)
def latin(word: str) -> str:
    """One word in Latin letters: Uzbek Cyrillic first, the remaining (Russian) letters by ICAO Doc 9303."""
    word = fold(word)
    if not has_cyrillic(word):
        return word
    # UzTransliterator answers nothing for some single letters ("а"): then the Russian scheme does it all
    text = fold(_UZ.transliterate(word, from_="cyr", to="lat")) or word
    if has_cyrillic(text):
        text = fold(iuliia.ICAO_DOC_9303.translate(text))
    return text


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """The comparable key of one word of a name: equal for its Latin and Cyrillic spellings."""
    text = latin(word)
    for variant, common in _FOLDS:
        text = text.replace(variant, common)
    return _DOUBLES.sub(r"\1", text)


def keys(name: str | None) -> frozenset[str]:
    """The keys of every part of a name."""
    return frozenset(key(p) for p in parts(name))


def matches(query: str | None, name: str | None) -> bool:
    """Does every part of `query` match a part of `name` (any order, either alphabet)?

    "rahimov", "Jasur Rahimov" and "Рахимов" match "Rahimov Jasur Akmalovich";
    "Rahimov Bobur" does not. An empty query matches nothing.
    """
    wanted = keys(query)
    return bool(wanted) and wanted <= keys(name)


def cyrillic(word: str) -> str:
    """One Latin word in Uzbek Cyrillic (Rahimov -> Раҳимов, Rakhimov -> Рахимов)."""
    text = fold(word)
    if has_cyrillic(text):
        return text
    for variant, uzbek in _TO_UZBEK_LATIN:
        text = text.replace(variant, uzbek)
    return fold(_UZ.transliterate(text, from_="lat", to="cyr"))


@lru_cache(maxsize=65536)
def spellings(word: str) -> frozenset[str]:
    """The usual spellings of one word of a name, folded: as typed, Uzbek and Russian Cyrillic, Uzbek
    Latin, ICAO Latin and the key. Indexes store these so that a word equal to any of them is found
    (or withheld) as this name."""
    typed = fold(word)
    cyr = cyrillic(typed)
    russian = cyr.translate(_RUSSIAN_CYRILLIC)
    found = {typed, cyr, russian, latin(cyr), latin(russian), key(typed)}
    found.add(fold(iuliia.ICAO_DOC_9303.translate(russian)))
    found.add(fold(iuliia.WIKIPEDIA.translate(russian)))
    return frozenset(s for spelled in found if spelled for s in (spelled, spelled.replace("'", "")))


def name_spellings(name: str | None, shortest: int = 1) -> frozenset[str]:
    """Every spelling of every part of a name with at least `shortest` letters."""
    return frozenset(s for p in parts(name) if len(p) >= shortest for s in spellings(p))


def display(name: str | None) -> str:
    """A name in one alphabet, for hint lines: Latin when it has any Latin letter, else as typed.

    Upper-case names typed with look-alike letters of both alphabets ("PAXИMOB")
    are shown in Latin ("RAXIMOV") rather than as a mixed string.
    """
    text = unicodedata.normalize("NFKC", name or "")
    if not has_cyrillic(text) or not re.search(r"[A-Za-z]", text):
        return text
    return " ".join(latin(w).upper() if w.isupper() else latin(w).title() for w in text.split())
