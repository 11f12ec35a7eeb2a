"""Search results mark the words that matched; the text stays escaped."""

from __future__ import annotations

import html

from ops.search.highlight import highlight, words_of


def test_words_are_read_as_the_search_box_reads_them():
    assert words_of('heroin "false floor" hero* a') == ["heroin", "false", "floor", "hero"]
    assert words_of(None) == [] and words_of("") == []


def test_matches_at_word_starts_are_marked_and_the_rest_escaped():
    marked = str(highlight("Heroin <b>found</b> in the HEROINE's fuel tank; sheroin not", "heroin tank"))
    assert marked.count("<mark>") == 3  # Heroin, HEROIN(e), tank — never inside "sheroin"
    assert "<mark>Heroin</mark>" in marked and "<mark>tank</mark>" in marked and "s<mark>" not in marked
    assert "&lt;b&gt;found&lt;/b&gt;" in marked  # the record's text is never HTML
    assert str(highlight("<i>x</i>", "")) == "&lt;i&gt;x&lt;/i&gt;"


def test_the_results_page_marks_the_searched_words(client, login_as, make_user, make_agency, make_team, make_operation):
    agency, team = make_agency("SCC"), make_team("IMT-TER")
    make_operation(agency, team, narrative="Heroin was hidden in the spare tyre <img src=x>.", visibility="all")
    login_as(make_user(agency, "analyst"))
    page = client.get("/search", query_string={"q": "tyre"}).get_data(as_text=True)
    narrative = page.split('<p class="narrative">')[1].split("</p>")[0]
    assert "<mark>tyre</mark>" in narrative and "<img" not in narrative
    assert html.unescape(narrative).startswith("Heroin was hidden")
