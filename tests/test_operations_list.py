"""The operations list: filter by words, agency, team, period and status; sort by column; jump to a page."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from ops.models import AuditEvent


@pytest.fixture
def listed(make_agency, make_team, make_user, make_operation):
    scc, sss = make_agency("SCC"), make_agency("SSS")
    ter, ayr = make_team("IMT-TER"), make_team("BLO-AYR")
    make_operation(
        scc, ter, visibility="all", title="Heroin in a fuel tank", started_at=datetime(2025, 3, 1, tzinfo=UTC)
    )
    make_operation(sss, ayr, visibility="all", title="Cash at the bridge", started_at=datetime(2025, 5, 1, tzinfo=UTC))
    make_operation(sss, ter, visibility="all", title="Tramadol parcel", started_at=datetime(2024, 1, 1, tzinfo=UTC))
    make_operation(sss, ter, visibility="team", title="Hidden from SCC", started_at=datetime(2025, 4, 1, tzinfo=UTC))
    return make_user(scc, "analyst")


def titles(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""
    return re.findall(r'class="free-text">([^<]+)</td>', body)


def test_filters_narrow_the_list_in_sql_and_the_count_agrees(client, login_as, listed, db):
    login_as(listed)
    get = lambda **args: client.get("/operations/", query_string=args).get_data(as_text=True)  # noqa: E731
    assert titles(get(q="HEROIN")) == ["Heroin in a fuel tank"]
    assert titles(get(q="100%")) == []  # a % is a character, not a wildcard
    assert sorted(titles(get(agency="SSS"))) == ["Cash at the bridge", "Tramadol parcel"]  # not the hidden one
    assert sorted(titles(get(team="IMT-TER"))) == ["Heroin in a fuel tank", "Tramadol parcel"]
    page = get(date_from="2025-01-01", date_to="2025-12-31")
    assert sorted(titles(page)) == ["Cash at the bridge", "Heroin in a fuel tank"]
    assert '<span class="count">2</span>' in page
    events = db.exec(select(AuditEvent.detail).where(AuditEvent.action == "list")).all()
    assert '"q": "HEROIN"' in events[0]  # the read is audited with the filters used


def test_sorting_by_column_both_ways(client, login_as, listed):
    login_as(listed)
    default = titles(client.get("/operations/").get_data(as_text=True))
    assert default == ["Cash at the bridge", "Heroin in a fuel tank", "Tramadol parcel"]  # newest first
    by_title = titles(client.get("/operations/?sort=title").get_data(as_text=True))
    assert by_title == sorted(by_title)
    assert titles(client.get("/operations/?sort=-title").get_data(as_text=True)) == by_title[::-1]
    page = client.get("/operations/?sort=title").get_data(as_text=True)
    assert 'aria-sort="ascending"' in page and "sort=-title" in page  # the header now sorts the other way


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"sort": "password_hash"}, "Not a valid choice"),
        ({"page": "two"}, "Not a valid integer value"),
        ({"date_from": "2025-05-01", "date_to": "2025-01-01"}, "The end date is before the start date."),
        ({"agency": "NOPE"}, "Not a valid choice"),
        ({"q": "x" * 101}, "Field cannot be longer than 100 characters."),
    ],
)
def test_bad_list_parameters_are_refused_with_a_message(client, login_as, listed, args, message):
    login_as(listed)
    answer = client.get("/operations/", query_string=args)
    assert answer.status_code == 400 and message in answer.get_data(as_text=True)
    assert titles(answer.get_data(as_text=True)) == []


def test_jump_to_a_page(client, login_as, make_agency, make_team, make_user, make_operation):
    agency, team = make_agency("SCC"), make_team("IMT-TER")
    for n in range(30):
        make_operation(
            agency, team, title=f"Record {n:02d}", started_at=datetime(2025, 1, 1 + n % 28, n % 24, tzinfo=UTC)
        )
    login_as(make_user(agency, "analyst"))
    page = client.get("/operations/?sort=title&page=2").get_data(as_text=True)
    assert titles(page) == [f"Record {n:02d}" for n in range(25, 30)]
    assert 'name="page" type="number" min="1" max="2" value="2"' in page
    assert '<input type="hidden" name="sort" value="title">' in page.split('class="inline page-jump"')[1]
