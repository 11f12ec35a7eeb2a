"""Names in lookups and full-text search: any part, any order, either alphabet; never a withheld name."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from ops import names, normalize
from ops.models import Person

NAME = "Rahimov Jasur Akmalovich"


def _person(db, operation, name=NAME, document=None):
    db.add(
        Person(
            operation_id=operation.id,
            full_name=name,
            name_norm=normalize.name(name),
            document_number=document,
            document_norm=normalize.identifier(document) if document else None,
        )
    )
    db.commit()


@pytest.fixture
def agencies(make_agency, make_team):
    return make_agency("SCC"), make_agency("MIA"), make_team("IMT-TER")


def _lookup(client, typed: str) -> str:
    return client.get("/search/lookup", query_string={"value": typed}).get_data(as_text=True)


@pytest.mark.parametrize("typed", ["rahimov", "rahimov jasur", "Jasur Rahimov", "Рахимов", "RAKHIMOV", "Жасур Рахимов"])
def test_lookup_finds_a_name_by_any_of_its_parts(client, login_as, make_user, make_operation, agencies, db, typed):
    owner, _partner, team = agencies
    operation = make_operation(owner, team, visibility="agency")
    _person(db, operation)
    _person(db, make_operation(owner, team, visibility="agency"), "Rahimova Dilnoza")  # not "Rahimov"
    login_as(make_user(owner, "analyst"))
    html = _lookup(client, typed)
    assert "1 record involves" in html and f'/operations/{operation.id}"' in html, typed


@pytest.mark.parametrize("typed", ["Rahimov Bobur", "Rahim", "Jasurbek"])
def test_lookup_does_not_find_other_names(client, login_as, make_user, make_operation, agencies, db, typed):
    owner, _partner, team = agencies
    _person(db, make_operation(owner, team, visibility="agency"))
    login_as(make_user(owner, "analyst"))
    assert "0 records involve" in _lookup(client, typed)


def test_the_hint_line_shows_no_mixed_alphabet_string(client, login_as, make_user, agencies):
    login_as(make_user(agencies[0], "analyst"))
    hint = re.search(r'<p class="muted">Compared as.*?</p>', _lookup(client, "Рахимов"), re.S).group(0)
    mixed = [w for w in re.findall(r"\w+", hint) if names.has_cyrillic(w) and re.search(r"[A-Za-z]", w)]
    assert mixed == [] and "PAXИMOB" not in hint


@pytest.mark.parametrize("shared", [False, True])
def test_lookup_finds_a_name_only_where_identities_are_shared(
    client, login_as, make_user, make_operation, agencies, db, shared
):
    owner, partner, team = agencies
    operation = make_operation(owner, team, visibility="partners", partners=[partner], share_persons=shared)
    _person(db, operation)
    login_as(make_user(partner, "analyst"))
    for typed in ("Rahimov", "Рахимов"):
        assert (f'/operations/{operation.id}"' in _lookup(client, typed)) is shared, typed


def _search(client, words: str) -> str:
    return client.get("/search", query_string={"q": words}).get_data(as_text=True)


def test_full_text_finds_a_name_in_the_other_alphabet(client, login_as, make_user, make_operation, agencies, db):
    owner, _partner, team = agencies
    operation = make_operation(owner, team, visibility="agency", narrative="A courier was detained.")
    _person(db, operation)
    login_as(make_user(owner, "analyst"))
    for words in ("Рахимов", "Rakhimov", "rahimov", "Жасур"):
        assert operation.ref in _search(client, words), words


def test_a_withheld_name_finds_nothing_in_any_spelling(client, login_as, make_user, make_operation, agencies, db):
    owner, partner, team = agencies
    narrative = "Водитель Рахимов задержан; Raximov and Rakhimov, passport AB 1234567, ab1234567."
    operation = make_operation(owner, team, visibility="partners", partners=[partner], narrative=narrative)
    _person(db, operation, document="AB 1234567")
    login_as(make_user(partner, "analyst"))
    assert operation.ref in _search(client, "Водитель")  # the record itself is found by its other words
    for words in ("Рахимов", "Raximov", "Rakhimov", "Rahimov", "AB1234567", "1234567"):
        assert operation.ref not in _search(client, words), words


SAMPLES = [
    ("Водитель Рахимов, Raximov and Rakhimov; AB 1234567 / AB1234567", NAME + " AB 1234567 AB1234567"),
    ("Alisher Karimov drove", "Alisher Karimov " + normalize.spellings("Alisher Karimov")),
    ("Каримов Алишер ушёл", "Alisher Karimov " + normalize.spellings("Alisher Karimov")),
    ("no identities here", ""),
    # phone numbers (migration 0012): the persons part holds E.164 and Uzbek national digits
    (
        "call +998 90 123-45-67, 90 1234567, 8 (90) 123 45 67, 0901234567 or 00998901234567; 8 912 345-67-89",
        "Alisher Karimov +998901234567 +79123456789 901234567 +79123456789",
    ),
    ("123 45 67 and 12345 stay; 1901234567 too", "+998901234567 901234567"),
    # numbers the body does not hold (PostgreSQL looks for a number only where its last digits stand: 0023)
    ("3 kg in the spare tyre, nothing else", "Alisher Karimov +998901234567 +79123456789"),
    ("4567 pieces; 93 555 66 77 called", "+998901234567 +998935556677 935556677"),
]


@pytest.mark.parametrize(("body", "persons"), SAMPLES)
def test_both_databases_take_the_same_words_out_of_the_index(db, body, persons):
    """search_redact is Python on SQLite and SQL on PostgreSQL: both must equal normalize.without_identities."""
    persons = persons + " " + normalize.spellings(persons)
    in_database = db.execute(text("SELECT search_redact(:body, :persons)"), {"body": body, "persons": persons})
    assert in_database.scalar_one().split() == normalize.without_identities(body, persons).split()
