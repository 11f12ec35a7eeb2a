"""The access matrix: every role x three agencies x every status and visibility x every endpoint.

Dimensions come from the policy's own data (vocab.ROLES, STATUSES,
VISIBILITIES); the expected answer comes from `may_see`, an independent
transcription of the access model in the design notes, not from
ops/policy.py. Zero leaks and zero wrongful refusals.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ops.vocab import ROLES, STATUSES, VISIBILITIES
from tests.support.accounts import token_client

OWNER, PARTNER, OUTSIDER = "AAA", "BBB", "CCC"


@dataclass(frozen=True)
class Profile:
    agency: str
    role: str
    in_team: bool  # member of the owning team (a joint team: members of any agency)

    @property
    def name(self) -> str:
        return f"{self.agency}-{self.role}{'-team' if self.in_team else ''}"


@dataclass(frozen=True)
class Record:
    status: str
    visibility: str  # partners = shared with PARTNER

    @property
    def word(self) -> str:
        return f"canary{self.status}{self.visibility}"


def may_see(user: Profile, record: Record) -> bool:
    """The access model of the design notes, written out independently of ops/policy.py."""
    if user.role in ("admin", "programme_officer"):
        return False  # account managers and programme officers do not read records by virtue of that role
    if user.in_team:
        return True
    if user.agency == OWNER and user.role == "supervisor":
        return True
    if record.status != "approved":
        return False
    return {
        "team": False,
        "agency": user.agency == OWNER,
        "partners": user.agency in (OWNER, PARTNER),
        "all": True,
    }[record.visibility]


PROFILES = [Profile(agency, role, False) for agency in (OWNER, PARTNER, OUTSIDER) for role in ROLES] + [
    Profile(OWNER, "officer", True),
    Profile(OWNER, "lead", True),
    Profile(PARTNER, "officer", True),
]
RECORDS = [Record(status, visibility) for status in STATUSES for visibility in VISIBILITIES]


@pytest.fixture
def world(app, make_agency, make_team, make_user, make_operation):
    agencies = {code: make_agency(code) for code in (OWNER, PARTNER, OUTSIDER)}
    team = make_team("IMT-MTX")
    records = {}
    for record in RECORDS:
        partners = [agencies[PARTNER]] if record.visibility == "partners" else []
        records[record] = make_operation(
            agencies[OWNER],
            team,
            status=record.status,
            visibility=record.visibility,
            partners=partners,
            narrative=f"Seized at the bridge {record.word}",
        )
    users = {
        profile: make_user(agencies[profile.agency], profile.role, teams=[team] if profile.in_team else [])
        for profile in PROFILES
    }
    return {"records": records, "users": users}


def _expected_ids(world, profile) -> set[int]:
    return {op.id for record, op in world["records"].items() if may_see(profile, record)}


def test_oracle_covers_every_combination():
    assert len(PROFILES) == 3 * len(ROLES) + 3 and len(RECORDS) == len(STATUSES) * len(VISIBILITIES)
    assert any(may_see(p, r) for p in PROFILES for r in RECORDS)
    assert not all(may_see(p, r) for p in PROFILES for r in RECORDS)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_api_lists_and_reads_exactly_the_visible_records(app, world, profile):
    client = token_client(app, read_only=True, user=world["users"][profile])
    expected = _expected_ids(world, profile)
    listing = client.get("/api/v1/operations?limit=200")
    if profile.role in ("admin", "programme_officer"):
        # a programme officer reads no record: the API answers as if there were nothing to list
        assert listing.status_code == (403 if profile.role == "admin" else 404)
    else:
        assert {item["id"] for item in listing.json["items"]} == expected
        seizures = client.get("/api/v1/seizures?limit=200").json["items"]
        assert {row["operation_id"] for row in seizures} == expected
    for record, op in world["records"].items():
        response = client.get(f"/api/v1/operations/{op.id}")
        assert response.status_code == (200 if op.id in expected else 404), (profile.name, record)
        if response.status_code != 200:
            assert record.word not in response.get_data(as_text=True)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_home_page_lists_only_visible_records(app, world, profile, client, login_as):
    login_as(world["users"][profile])
    html = client.get("/").get_data(as_text=True)
    for record, op in world["records"].items():
        if op.id not in _expected_ids(world, profile):
            assert op.ref not in html, (profile.name, record)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_pages_search_and_exports_agree_with_the_oracle(app, world, profile, client, login_as):
    """Record pages answer 200 or 404; search and CSV export hold exactly the visible records' words."""
    login_as(world["users"][profile])
    expected = _expected_ids(world, profile)
    for record, op in world["records"].items():
        page = client.get(f"/operations/{op.id}")
        assert page.status_code == (200 if op.id in expected else 404), (profile.name, record, page.status_code)
    if profile.role == "admin":
        return
    if profile.role == "programme_officer":
        assert client.get("/search?q=canary*").status_code == 404
        assert client.get("/search/export/csv?q=canary*").status_code == 404
        return
    results = client.get("/search?q=canary*").get_data(as_text=True)
    export = client.get("/search/export/csv?q=canary*")
    exported = export.get_data(as_text=True) if export.status_code == 200 else None
    for record, op in world["records"].items():
        visible = op.id in expected
        assert (f'/operations/{op.id}"' in results) is visible, (profile.name, record, "search")
        if exported is not None:
            assert (op.ref in exported) is visible, (profile.name, record, "export")
