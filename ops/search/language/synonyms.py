"""Words that mean the same thing to the index: commodity names in the working languages, country names.

The index holds our codes as words ("cannabis resin", and "ctyaf" for a
route through Afghanistan); these groups let a search typed in Russian,
Uzbek or an agency's spreadsheet wording reach them. A group is a set of
phrases (tuples of index words); any member finds every member.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

from ops import normalize, vocab

# Russian and Uzbek names of the commodities most often searched; codes are English words already.
COMMODITY_NAMES = {
    "heroin": ("героин", "geroin"),
    "opium": ("опий", "опиум", "afyun"),
    "cannabis_resin": ("гашиш", "gashish", "hashish", "чарс"),
    "cannabis_herb": ("марихуана", "marixuana", "marijuana", "каннабис"),
    "cannabis_plants": ("конопля", "kanop"),
    "poppy_straw": ("маковая солома", "мак"),
    "morphine": ("морфин",),
    "methamphetamine": ("метамфетамин", "metamfetamin", "мет"),
    "amphetamine": ("амфетамин", "amfetamin"),
    "mephedrone": ("мефедрон", "mefedron"),
    "alpha_pvp": ("альфа pvp", "alfa pvp", "скорость"),
    "synthetic_cannabinoids": ("синтетические каннабиноиды", "спайс", "spice"),
    "cocaine": ("кокаин", "kokain"),
    "tramadol": ("трамадол",),
    "pregabalin": ("прегабалин", "лирика", "lyrica"),
    "codeine_syrup": ("кодеин", "kodein", "codeine"),
    "acetic_anhydride": ("уксусный ангидрид", "ангидрид"),
    "ephedrine": ("эфедрин", "efedrin"),
    "pseudoephedrine": ("псевдоэфедрин",),
    "sulphuric_acid": ("серная кислота",),
    "potassium_permanganate": ("перманганат калия", "марганцовка"),
    "pistol": ("пистолет", "to'pponcha"),
    "assault_rifle": ("автомат", "kalashnikov", "калашников"),
    "hand_grenade": ("граната", "granata"),
}
CONVEYANCE_NAMES = {
    "truck": ("грузовик", "фура", "yuk mashinasi", "lorry"),
    "car": ("автомобиль", "легковой", "avtomobil"),
    "bus": ("автобус", "avtobus"),
    "train": ("поезд", "вагон", "poyezd", "rail"),
    "pedestrian": ("пешеход", "piyoda"),
    "postal": ("посылка", "почта", "pochta", "parcel"),
}
LANGUAGES = ("en", "ru", "uz")


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in normalize.words(text))


def _code_phrase(code: str) -> tuple[str, ...]:
    return tuple(code.lower().split("_"))  # the index splits codes at "_" like any separator


def _commodity_groups() -> list[set]:
    groups = []
    for code, item in vocab.COMMODITIES.items():
        group = {_code_phrase(code)}
        group.update(_phrase(name) for name in COMMODITY_NAMES.get(code, ()))
        group.update(_phrase(alias) for alias, target in vocab.COMMODITY_ALIASES.items() if target == code)
        if item.unodc_name:
            group.add(_phrase(item.unodc_name))
        groups.append(group)
    for code, names in CONVEYANCE_NAMES.items():
        groups.append({_code_phrase(code), *(_phrase(name) for name in names)})
    return groups


def _country_groups() -> list[set]:
    locales = [Locale.parse(language) for language in LANGUAGES]
    groups = []
    for code in vocab.COUNTRY_CODES:
        group = {("cty" + code.lower(),)}
        group.update(_phrase(locale.territories[code]) for locale in locales if code in locale.territories)
        groups.append(group)
    return groups


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, ...], frozenset]:
    index: dict[tuple[str, ...], set] = {}
    for group in _commodity_groups() + _country_groups():
        group.discard(())
        for phrase in group:
            index.setdefault(phrase, set()).update(group)
    return {phrase: frozenset(members) for phrase, members in index.items()}


def phrases_for(key: str | tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Every phrase that means the same as `key` (a word or a phrase), in a stable order."""
    phrase = key if isinstance(key, tuple) else _phrase(key)
    return tuple(sorted(_index().get(phrase, ())))
