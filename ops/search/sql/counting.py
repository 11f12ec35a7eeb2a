"""What a search counts: the seizures that match on their own fields, each seizure event once.

A word that names a commodity (in any of the working languages: `heroin`,
`героин`, `geroin`) finds every seizure whose indexed text holds it, the
operation's narrative included, so that the operation stays in the results.
But totals, facets, dashboards, maps and the UNODC sheet count a seizure only
where its own commodity is the one named: a hashish seizure of an operation
whose narrative mentions heroin is listed, marked, and not counted.

And a report linked to another agency's report of the same seizure counts
once (policy.counted_seizures). Both rules are one SQL expression over the
seizure's own columns: no per-row work in Python.
"""

from __future__ import annotations

from sqlalchemy import and_, case

from ops import policy, vocab
from ops.models import Seizure
from ops.search.language.text import Term


def _code_phrase(code: str) -> tuple[str, ...]:
    return tuple(code.lower().split("_"))


def commodity_codes(term: Term) -> tuple[str, ...]:
    """The commodities this term names (a whole name, not a prefix): none for other words."""
    if term.prefix:
        return ()
    phrases = set(term.phrases)
    return tuple(code for code in vocab.COMMODITIES if _code_phrase(code) in phrases)


def commodity_terms(terms) -> list[tuple[Term, tuple[str, ...]]]:
    """(term, the commodities it names) for the terms that name a commodity."""
    return [(term, codes) for term in terms for codes in [commodity_codes(term)] if codes]


def own_fields_match(terms):
    """A clause: every commodity word of the search names this seizure's commodity (None: no such word)."""
    conditions = [Seizure.commodity.in_(codes) for _term, codes in commodity_terms(terms)]
    return and_(*conditions) if conditions else None


def counted_clause(terms, user):
    """A WHERE clause: the matched seizures that count in totals for `user`."""
    own = own_fields_match(terms)
    once = policy.counted_seizures(user)
    return once if own is None else and_(own, once)


def counted_flag(terms, user):
    """counted_clause as a 1/0 column, for result sets that list what they do not count."""
    return case((counted_clause(terms, user), 1), else_=0)
