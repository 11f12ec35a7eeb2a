import pytest

from ops import normalize


@pytest.mark.parametrize("typed", ["01 A 123 BC", "01a123bc", "01-A-123-BC", " 01 a 123 bc ", "01.A.123/BC"])
def test_plates_in_any_format_share_one_normal_form(typed):
    assert normalize.identifier(typed) == "01A123BC"


def test_document_numbers_and_cyrillic():
    assert normalize.identifier("fa 383-8205") == "FA3838205"
    # a Russian plate typed in Cyrillic meets the same plate typed in Latin letters
    assert normalize.identifier("а 123 вс 77") == normalize.identifier("A123BC77") == "A123BC77"
    assert normalize.identifier(None) == "" and normalize.identifier("") == ""


def test_names_fold_case_and_spaces():
    assert normalize.name("  botir   Akhmedov ") == "BOTIR AKHMEDOV"
    assert normalize.name("Иван  Петров") == "ИВАН ПЕТРОВ"


def test_an_english_possessive_of_a_name_is_masked_too():
    identities = normalize.Identities(names=("Javlon Ismoilov",))
    assert normalize.mask_identities("found in Ismoilov's bag", identities) == "found in ••• bag"
