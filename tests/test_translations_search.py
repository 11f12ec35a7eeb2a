"""Full-text search finds Russian and Uzbek narratives as well as English ones, and speaks the reader's language."""

from __future__ import annotations

import csv
import html
import io

import pytest

from tests.support import i18n_catalogues as cats

NARRATIVES = {
    "ru": "Водитель спрятал героин в запасном колесе полуприцепа.",
    "uz": "Haydovchi geroinni yarim tirkamaning zaxira g'ildiragiga yashirgan.",
    "en": "The driver hid heroin in the spare tyre of the semi-trailer.",
}


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    cats.compile_catalogues()


@pytest.fixture
def records(db, make_agency, make_team, make_user, make_operation, login_as):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    refs = {lang: make_operation(scc, team, narrative=text, visibility="all").ref for lang, text in NARRATIVES.items()}
    user = make_user(scc, "analyst")
    user.locale = "ru"
    db.commit()
    login_as(user)
    return refs


def _found(client, words: str) -> str:
    response = client.get("/search", query_string={"q": words})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("words", "lang"),
    [
        ("колесе", "ru"),
        ("полуприцепа", "ru"),
        ("ЗАПАСНОМ", "ru"),
        ("g'ildiragiga", "uz"),
        ("tirkamaning", "uz"),
        ("tyre", "en"),
    ],
)
def test_a_word_of_a_narrative_finds_its_record_in_any_language(client, records, words, lang):
    page = _found(client, words)
    assert records[lang] in page
    assert all(ref not in page for other, ref in records.items() if other != lang)


def test_the_search_page_and_its_export_speak_russian(client, records):
    page = _found(client, "героин")  # the commodity's Russian name finds every heroin seizure
    assert all(ref in page for ref in records.values())
    for text in ("Поиск изъятий", "Слова поиска", "Фильтры", "Наилучшее совпадение", "2025-05-01"):
        assert text in page, text  # the records are of 1 May 2025, in the product's one date format
    export = client.get("/search/export/csv", query_string={"q": "колесе"})
    assert export.status_code == 200
    text = export.get_data(as_text=True)
    export.close()  # ends the streamed response and its database session (PostgreSQL would keep it open)
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[:3] == ["Идентификатор изъятия", "Запись", "Дата и время"]
