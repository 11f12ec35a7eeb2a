"""The sweep: every page each role can reach, in Uzbek, Russian and English, at 1280 and 390 px.

Pages come from url_map (GET rules answering HTML, see tests/support/sweep.py), not from a hand
list, so a new page is swept the day it is added. A page fails on horizontal overflow, an English
interface string left on a Russian or Uzbek page, a 4xx/5xx answer or a console error.
Languages are shared out between the roles that reach a page, each page in all three at least
once, to stay within the time CI allows. Screenshots: test-artifacts/screenshots/sweep/.
SQLite only: the pages are the same on PostgreSQL, and the suite's time is counted there twice.
"""

from __future__ import annotations

import os

import pytest

from ops import policy
from ops.demo import AGENCIES
from ops.search import saved
from tests.support import i18n_catalogues as cats
from tests.support import sweep
from tests.support.browser import DESKTOP, PHONE, new_tab, sign_in
from tests.support.equipment_kit import make_batch, make_item, make_programme
from tests.support.importing import make_demo_orgs

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgresql"), reason="the sweep runs on SQLite only"
    ),
]
# "partner": a lead of a foreign counterpart office (reads no record); "liaison": a lead of a border liaison
# office, who sends an approved record's release to the counterpart
ROLES = (
    "officer",
    "lead",
    "supervisor",
    "analyst",
    "auditor",
    "admin",
    "sysadmin",
    "programme_officer",
    "partner",
    "liaison",
)
SHOTS = "sweep"


@pytest.fixture
def cast(app, db, make_agency, make_team, make_user, make_operation):
    """Demo agencies and records, one user per role in SCC, and the record each role opens."""
    from ops.importer.demo import load_generated

    orgs = make_demo_orgs(make_agency, make_team)
    with app.app_context():
        load_generated(120, orgs, lambda line: None)
    scc = orgs["SCC"]
    field_team, hq, blo = make_team("IMT-TER"), make_team("HQ-ANL"), make_team("BLO-OYB", kind="blo")
    programme = make_agency("PRG", "Programme office")
    programme.is_programme = True
    partner = make_agency("DCA-TJ", "Drug Control Agency of Tajikistan")
    partner.country, partner.is_foreign_partner, partner.receive_language = "TJ", True, "ru"
    _donor, project = make_programme(db)
    make_item(db, make_batch(db, project, scc, "HN-SWEEP"), "SWEEP-1", team=field_team)
    people = {
        role: make_user(
            {"programme_officer": programme, "partner": partner}.get(role, scc),
            role={"sysadmin": "admin", "partner": "lead", "liaison": "lead"}.get(role, role),
            teams={"officer": [field_team], "lead": [field_team], "analyst": [hq], "liaison": [blo]}.get(role, []),
            username=f"sweep.{role}",
            is_sysadmin=role == "sysadmin",
        )
        for role in ROLES
    }
    long_word = "Operation" + "X" * 190  # a title with no space must wrap, never widen a page
    draft = make_operation(scc, field_team, status="draft", title=long_word, narrative=long_word)
    submitted = make_operation(scc, field_team, status="submitted")
    db.commit()
    records = {"officer": draft, "lead": draft, "supervisor": submitted, "liaison": sweep.own_approved_record(db, scc)}
    with app.test_request_context():
        saved.create(db, people["analyst"], "Heroin at Ayritom", "q=heroin")
        db.commit()
        sweep.plan(db, people["lead"], field_team)
        for role, user in people.items():
            records.setdefault(role, sweep.visible_record(db, user, "approved"))
        outsider = make_user(orgs["MIA"], role="analyst", username="sweep.outsider")
        sweep.access_request(db, sweep.own_approved_record(db, scc), outsider)
        second = make_user(scc, role="supervisor", username="sweep.second")
        sweep.release_and_heads_up(db, sweep.own_approved_record(db, scc), people["supervisor"], second, partner)
    assert len(AGENCIES) == 5
    return people, records


def _probe(tab, base: str, rules, values, records_absent: bool = False) -> dict:
    """rule -> URL for the pages this role reaches (an HTML answer); fails on any answer but 2xx/403/404."""
    reached, problems = {}, []
    for rule in rules:
        url = sweep.url_for_rule(rule, values)
        if url is None:
            continue
        answer = tab.request.get(base + url)
        if answer.status in (403, 404) and (rule.arguments or answer.status == 403 or records_absent):
            # not this role's page (a loader answers 404 for a record the role may not act on; to a role that
            # never touches records, every record page answers 404 as if nothing were there)
            continue
        if answer.status >= 400:
            problems.append(f"{url}: {answer.status}")
        elif answer.status == 200 and answer.headers.get("content-type", "").startswith("text/html"):
            reached[rule.endpoint] = url
    assert problems == [], problems
    return reached


def _check(tab, base, url, lang, english, label, desktop: bool) -> list[str]:
    problems = []
    tab.js_errors.clear()
    answer = tab.goto(base + url)
    if answer is None or answer.status >= 400:
        return [f"{label} {url}: answered {answer.status if answer else 'nothing'}"]
    tab.wait_for_load_state("load")
    if overflow := tab.evaluate(sweep.OVERFLOW):
        problems.append(f"{label} {url}: wider than the screen: {overflow}")
    if desktop and (height := tab.evaluate(sweep.TOPBAR_HEIGHT)) > sweep.ONE_LINE_TOPBAR:
        problems.append(f"{label} {url}: the top menu wraps ({height} px high)")
    if lang != "en" and (left := sorted(set(tab.evaluate(sweep.VISIBLE_TEXTS)) & english)):
        problems.append(f"{label} {url}: English left on a {lang} page: {left[:8]}")
    if tab.js_errors:
        problems.append(f"{label} {url}: console errors {tab.js_errors[:3]}")
    return problems


def test_every_page_of_every_role_in_three_languages_at_two_widths(
    browser, live_server, live_app, cast, db, screenshot, tmp_path
):
    people, records = cast
    rules = sweep.page_rules(live_app)
    extracted = cats.extract(tmp_path / "messages.pot")
    english = {lang: sweep.english_strings(lang, extracted) for lang in ("ru", "uz")}
    tabs = {}
    reached = {}
    for role, user in people.items():
        tabs[role] = [new_tab(browser, size) for size in (DESKTOP, PHONE)]
        for _context, tab in tabs[role]:
            sign_in(tab, live_server, user, app=live_app)
        with live_app.test_request_context():
            values = sweep.samples(db, user, records[role])
            no_records = policy.never_reads_records(user)
        reached[role] = _probe(tabs[role][0][1], live_server, rules, values, no_records)
    endpoints = sorted({endpoint for pages in reached.values() for endpoint in pages})
    missed = {rule.endpoint for rule in rules} - set(endpoints) - {"auth.login", "auth.two_factor"}
    assert missed == set(), f"pages no role reached: {missed}"
    problems = []
    for number, endpoint in enumerate(endpoints):
        roles = [role for role in ROLES if endpoint in reached[role]]
        for index, role in enumerate(roles):
            for lang in sweep.languages_for(index, len(roles), number):
                people[role].locale = lang
                db.commit()
                for (_context, tab), width in zip(tabs[role], ("1280", "390"), strict=True):
                    url = reached[role][endpoint]
                    label = f"{role} {lang} {width}"
                    problems += _check(tab, live_server, url, lang, english.get(lang, set()), label, width == "1280")
                    screenshot(tab, SHOTS, f"{endpoint}-{role}-{lang}-{width}")
    for pairs in tabs.values():
        for context, _tab in pairs:
            context.close()
    assert problems == [], "\n".join(problems)
