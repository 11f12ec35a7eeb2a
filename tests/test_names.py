"""The name-matching module (ops/names.py) and the masking built on it (normalize.mask_identities)."""

from __future__ import annotations

from datetime import date

import pytest

from ops import names, normalize

FULL = "Rahimov Jasur Akmalovich"


@pytest.mark.parametrize(
    "query", ["rahimov", "rahimov jasur", "Jasur Rahimov", "Рахимов", "РАХИМОВ", "Raximov", "Rakhimov", "Жасур Рахимов"]
)
def test_any_part_in_any_order_and_either_alphabet_matches(query):
    assert names.matches(query, FULL)


@pytest.mark.parametrize("query", ["Rahimov Bobur", "Rahim", "Karimov", "", "   "])
def test_other_names_and_parts_do_not_match(query):
    assert not names.matches(query, FULL)


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("O'tkir Qodirov", "Ўткир Қодиров"),
        ("Utkir Kodirov", "Ўткир Қодиров"),
        ("G'afurov Shohrux", "Ғафуров Шоҳрух"),
        ("Gafurov Shokhrukh", "Гафуров Шохрух"),
        ("Dzhurabek Yuldashev", "Джурабек Юлдашев"),
        ("Alisher Karimov", "Каримов Алишер"),
    ],
)
def test_uzbek_and_russian_spellings_have_one_key(latin, cyrillic):
    assert names.keys(latin) == names.keys(cyrillic)
    assert names.matches(cyrillic, latin) and names.matches(latin, cyrillic)


def test_spellings_cover_both_alphabets():
    spelled = names.name_spellings("Rahimov Jasur")
    assert {"rahimov", "raximov", "rakhimov", "рахимов", "раҳимов", "jasur", "жасур"} <= spelled
    assert {"alisher", "алишер"} <= names.name_spellings("Алишер")


def test_a_mixed_alphabet_string_is_shown_in_one_alphabet():
    shown = names.display("PAXИMOB")
    assert not (names.has_cyrillic(shown) and any("a" <= c.lower() <= "z" for c in shown))


IDENTITIES = normalize.Identities(
    names=("Rahimov Jasur Akmalovich", "Li Bo"), documents=("AB 1234567",), birth_dates=(date(1990, 3, 5),)
)


@pytest.mark.parametrize(
    "written",
    [
        "Rahimov",
        "RAHIMOV",
        "Рахимов",
        "Рахимова",
        "Raximovning",
        "Rakhimov",
        "Жасур",
        "AB1234567",
        "AB 1234567",
        "ab-123-4567",
        "АВ1234567",
        "05.03.1990",
        "5.3.1990",
        "1990-03-05",
        "05/03/1990",
        "5 March 1990",
        "March 5, 1990",
        "5 марта 1990 г.",
        "5-mart 1990",
        "1990-yil 5-mart",
    ],
)
def test_every_spelling_of_an_identity_is_masked(written):
    masked = normalize.mask_identities(f"Seen: {written}; end.", IDENTITIES)
    assert masked == "Seen: •••; end.", masked


@pytest.mark.parametrize(
    "kept", ["Li Bo", "Jasurbek", "Rahimovsky", "15.03.1990", "1990", "1234", "heroin in the boot", "Раҳимқулов"]
)
def test_other_words_short_parts_and_other_dates_are_kept(kept):
    assert normalize.mask_identities(kept, IDENTITIES) == kept


def test_a_plain_string_of_names_and_documents_still_masks():
    assert normalize.mask_identities("Alisher Karimov AB6887609 was held", "Alisher Karimov AB6887609") == (
        "••• ••• ••• was held"
    )


def test_another_surname_made_from_a_first_name_is_not_masked():
    masked = normalize.mask_identities("Rahimov met Rahim and Rahima", normalize.Identities(("Rahim Aliev",)))
    assert masked == "Rahimov met ••• and •••"
