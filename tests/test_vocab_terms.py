"""Vocabulary terms are translated in their own sense, and the review table beside the catalogues is current."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from ops import vocab, vocab_table
from tests.support import i18n_catalogues as cats


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    cats.compile_catalogues()


def test_the_review_table_is_current_and_complete():
    """`make vocab-table` (run by `make i18n`) rewrites it; a stale or incomplete table fails here."""
    table = vocab_table.render()
    assert "(missing)" not in table
    assert vocab_table.TABLE.read_text(encoding="utf-8") == table, "run `make vocab-table`"
    for name, terms in vocab_table.VOCABULARIES:
        for code in terms:
            assert f"| {name} | `{code}` |" in table


@pytest.mark.parametrize(
    ("lang", "dashboard", "boot_lining", "page"),
    [
        ("ru", "Приборная панель автомобиля", "Обшивка багажника", "Сводка"),
        ("uz", "Avtomobil asboblar paneli", "Yukxona qoplamasi", "Tahliliy panel"),
    ],
)
def test_a_car_part_is_not_the_analytics_page_nor_a_shoe(app, lang, dashboard, boot_lining, page):
    with app.test_request_context(), force_locale(lang):
        assert vocab.label(vocab.CONCEALMENTS, "dashboard") == dashboard
        assert vocab.label(vocab.CONCEALMENTS, "boot_lining") == boot_lining
        from flask_babel import gettext

        assert gettext("Dashboard") == page  # the analytics page keeps its own word


def test_terms_that_read_alike_in_english_are_translated_per_vocabulary(app):
    """Every picked-from vocabulary with an "other" gives it a context, so each can say "other what"."""
    with app.test_request_context(), force_locale("ru"):
        others = {
            name: vocab.label(table, "other")
            for name, table in vocab_table.VOCABULARIES
            if "other" in table and name != "commodity"
        }
    assert others["person role"] != others["document type"] != others["vehicle type"]
    contexts = {
        vocab_table._source(label)[0] for _name, table in vocab_table.VOCABULARIES[4:10] for label in table.values()
    }
    assert None not in contexts
