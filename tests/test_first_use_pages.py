"""Pages a new analyst reads first: the search and dashboard filters, and a home page with their searches."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest

EMPTY_FORM = {
    name: ""
    for name in (
        "from",
        "to",
        "team",
        "location",
        "region",
        "category",
        "conveyance",
        "concealment",
        "detection",
        "status",
        "origin",
        "destination",
        "via",
        "kg_min",
        "kg_max",
    )
}


@pytest.fixture
def analyst(make_agency, make_team, make_user, make_operation):
    agency, team = make_agency("SCC"), make_team("IMT-TER")
    for day in (3, 1, 2):  # created in this order; "recent" must follow the dates, not the order of entry
        make_operation(
            agency, team, visibility="all", title=f"Day {day}", started_at=datetime(2025, 6, day, tzinfo=UTC)
        )
    return make_user(agency, "analyst", teams=[make_team("HQ-ANL")])


def _summary(page: str) -> str:
    return page.split('<details class="filters"')[1].split("</summary>")[0]


def test_the_filter_count_counts_only_filters_in_force(client, login_as, analyst):
    login_as(analyst)
    page = client.get("/search", query_string={"q": "heroin", **EMPTY_FORM}).get_data(as_text=True)
    assert 'class="count"' not in _summary(page)  # fifteen empty fields are no filter
    page = client.get("/search", query_string={"q": "heroin", **EMPTY_FORM, "category": "drugs"}).get_data(as_text=True)
    assert "(1)" in _summary(page)


def test_commodity_is_a_list_of_checkboxes_and_the_dashboard_opens_folded(client, login_as, analyst):
    login_as(analyst)
    page = client.get("/search/dashboard", query_string={"commodity": ["heroin", "opium"]}).get_data(as_text=True)
    assert '<details class="filters">' in page  # folded: no "open"; the charts come first
    assert 'type="checkbox" name="commodity" value="heroin" checked' in page
    assert 'type="checkbox" name="commodity" value="cocaine">' in page
    assert '<select id="f-commodity"' not in page
    chips = page.split('class="chips"')[1].split("</ul>")[0]
    assert "Heroin" in chips and "Opium" in chips  # the filters in force, each removable


def test_an_analysts_home_lists_saved_and_recent_searches_not_empty_team_blocks(client, login_as, analyst):
    login_as(analyst)
    client.get("/search", query_string={"q": "heroin", "category": "drugs"})
    client.get("/search", query_string={"q": "truck"})
    client.post("/search/saved", data={"name": "Heroin on the bridge", "query": "q=heroin"})
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert "Returned to my team" not in page and "My team's drafts" not in page
    assert "Saved searches" in page and "Heroin on the bridge" in page
    recent = page.split("Recent searches")[1].split("</section>")[0]
    assert recent.index("“truck”") < recent.index("“heroin”")  # newest first
    assert "1 filter" in recent
    operations = page.split("Recent operations")[1].split("</section>")[0]
    assert operations.index("Day 3") < operations.index("Day 2") < operations.index("Day 1")


def test_a_leads_home_keeps_the_team_lists(client, login_as, make_user, make_team, make_agency):
    lead = make_user(make_agency("SCC"), "lead", teams=[make_team("IMT-TER")])
    login_as(lead)
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert "Returned to my team" in page and "My team's drafts" in page and "Recent searches" not in page


def _label(page: str, name: str) -> str:
    return page.split(f'<label for="{name}">')[1].split("</label>")[0]


def test_fields_demanded_on_save_are_marked_before_it(client, login_as, make_user, make_team, make_agency):
    from tests.support.op_forms import PERSON, SEIZURE, create

    team = make_team("IMT-TER")
    login_as(make_user(make_agency("SCC"), "lead", teams=[team]))
    op_id = create(client, team, seizures=[SEIZURE], persons=[{**PERSON, "document_number": ""}])
    page = client.get(f"/operations/{op_id}/edit").get_data(as_text=True)
    for name in ("seizures-0-concealment", "seizures-0-conveyance", "seizures-0-detection", "persons-0-role"):
        assert 'class="req"' in _label(page, name), name
    assert 'class="req"' in _label(page, "vehicles-__index__-vehicle_type")  # the row the script adds
    # the document's type: marked only while a number is typed (the script toggles it as the user types)
    mark = _label(page, "persons-0-document_type")
    assert 'data-required-if="persons-0-document_number" hidden' in mark
    with_number = create(client, team, seizures=[SEIZURE], persons=[PERSON])
    mark = _label(client.get(f"/operations/{with_number}/edit").get_data(as_text=True), "persons-0-document_type")
    assert 'data-required-if="persons-0-document_number">' in mark
