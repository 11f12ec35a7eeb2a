"""Helpers of the browser sweep: the pages (from url_map, not a hand list), their sample ids, page checks.

A page is a GET rule that answers HTML. Its URL is built with sample ids chosen per role from
what that role may see (the same policy SQL as the lists), so a 403 or 404 on a rule with ids
means "not for this role", while any other 4xx or 5xx is a failure.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import or_, select

from ops import clock, policy
from ops.models import AccessRequest, Agency, ApiToken, ImportBatch, Operation, SavedSearch, TeamMember, User
from ops.models_equipment import EquipmentItem, HandoverBatch
from ops.models_liaison import HeadsUp, Release
from ops.models_places import Place
from ops.models_plans import Plan
from ops.plans import services as plan_services
from ops.plans.checks import PlanInput
from tests.support import i18n_catalogues as cats

LANGS = ("en", "ru", "uz")
# GET rules that are not pages a person visits: the API (JSON), files, the health probe, a progress poll
NOT_PAGES = (
    "api.",
    "static",
    "main.health",
    "operations.download",
    "operations.thumbnail",
    "operations.keepalive",
    "importer.progress",
    "equipment.note",  # the signed handover note: a PDF or an image, not a page
    "equipment.programme_report_xlsx",
    "search.annual_export",  # the annual table as XLSX
    "inbox.open_item",  # marks the item read and redirects to its page
)
SAMPLE_FORMAT = {"fmt": "csv"}

# visible text of a page and the attributes a reader sees; <code> holds identifiers, not language
VISIBLE_TEXTS = """() => {
  const out = new Set(), skip = new Set(['SCRIPT', 'STYLE', 'CODE', 'TEMPLATE', 'NOSCRIPT']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    let hidden = false;
    for (let e = n.parentElement; e; e = e.parentElement) if (skip.has(e.tagName)) { hidden = true; break; }
    const text = n.textContent.trim();
    if (!hidden && text) out.add(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], [alt]'))
    for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
      const value = (el.getAttribute(name) || '').trim();
      if (value) out.add(value);
    }
  out.add(document.title.trim());
  return [...out];
}"""

# what sticks out to the right of the viewport, outside any box that scrolls on its own
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];
  const scrolls = (e) => { for (; e && e !== document.body; e = e.parentElement) {
    const o = getComputedStyle(e).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  return [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > width + 1 && !scrolls(e.parentElement))
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)}px)`)
    .concat([`page ${document.documentElement.scrollWidth}px wide`]);
}"""


# the top bar's height: one line of menu is about 46 px; a menu that wraps makes it 80 or more
TOPBAR_HEIGHT = "() => { const bar = document.querySelector('.topbar'); return bar ? bar.offsetHeight : 0; }"
ONE_LINE_TOPBAR = 60


def page_rules(app) -> list:
    """Every GET rule that is a page, in a stable order."""
    rules = [
        rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and not rule.endpoint.startswith(NOT_PAGES)
    ]
    return sorted(rules, key=lambda rule: rule.rule)


def _first(db, query):
    return db.exec(query.limit(1)).first()


def samples(db, user: User, record: Operation | None) -> dict:
    """Ids of this role's own or visible objects for the rules' arguments; missing ones leave the rule out."""
    found = {
        "operation_id": record.id if record is not None else None,
        "user_id": _first(db, select(User.id).where(User.agency_id == user.agency_id).order_by(User.id)),
        # an import batch of the agency, else (the programme officer's) a handover batch of the register
        "batch_id": _first(db, select(ImportBatch.id).where(ImportBatch.agency_id == user.agency_id))
        or _first(db, select(HandoverBatch.id).where(policy.visible_equipment(user, HandoverBatch.agency_id))),
        "item_id": _first(db, select(EquipmentItem.id).where(policy.visible_equipment(user))),
        "team_id": _first(db, select(TeamMember.team_id).where(TeamMember.user_id == user.id))
        or _first(db, select(EquipmentItem.team_id).where(EquipmentItem.team_id.is_not(None))),
        "saved_id": _first(db, select(SavedSearch.id).where(SavedSearch.user_id == user.id)),
        "token_id": _first(db, select(ApiToken.id).where(ApiToken.user_id == user.id)),
        "place_id": _first(db, select(Place.id).order_by(Place.code)),
        "plan_id": _first(db, select(Plan.id).where(policy.visible_plans(user))),
        # a counterpart office, where there is one (its page has more: its people), else the user's own agency
        "agency_id": _first(db, select(Agency.id).where(Agency.is_foreign_partner)) or user.agency_id,
        "release_id": _first(db, select(Release.id).where(policy.visible_releases(user))),
        "headsup_id": _first(db, select(HeadsUp.id).where(policy.visible_headsups(user))),
        "request_id": _first(
            db,
            select(AccessRequest.id).where(
                or_(AccessRequest.requester_id == user.id, AccessRequest.owner_agency_id == user.agency_id)
            ),
        ),
        **SAMPLE_FORMAT,
    }
    return {name: value for name, value in found.items() if value is not None}


def plan(db, lead: User, team) -> Plan:
    """An active plan of the lead's team at a crossing point, for the plan pages (call in a request context)."""
    start = clock.now() + timedelta(days=1)
    data = PlanInput(
        kind="joint_raid",
        team_id=team.id,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        place_code="AYRITOM",
        duty_contact="Duty desk +998 71 200 00 00",
        targets={"plate": ["01A777KA"], "name": ["Rahimov Jasur"]},
    )
    return plan_services.create(db, lead, data).plan


def access_request(db, record: Operation, requester: User) -> AccessRequest:
    """An open request of another agency's analyst for `record`, so that its page is swept."""
    now = clock.now()
    request = AccessRequest(
        operation_id=record.id,
        owner_agency_id=record.owner_agency_id,
        requester_id=requester.id,
        requester_agency_id=requester.agency_id,
        match_kind="plate",
        purpose="Joint case on a truck seen at two crossing points",
        case_number="17/2026",
        due_at=now + timedelta(hours=48),
        created_at=now,
    )
    db.add(request)
    db.commit()
    return request


def release_and_heads_up(db, record: Operation, writer: User, approver: User, office: Agency) -> None:
    """A delivered release of `record` and a heads-up message to the counterpart `office`, so that their pages
    are swept (for both sides)."""
    from ops.liaison import headsups, services

    db.commit()
    services.link_counterparts(db, db.get(Agency, record.owner_agency_id), office)
    release = services.create(db, writer, record, office.id, False, "Heroin under the floor of a truck")
    services.approve(db, approver, release, True, None)
    draft = headsups.Draft(office.id, "vehicle", "01 A 777 KA", None, None, None, "A white truck tonight", 24)
    headsups.send(db, writer, draft)


def own_approved_record(db, agency) -> Operation:
    query = select(Operation).where(Operation.owner_agency_id == agency.id, Operation.status == "approved")
    return db.exec(query.order_by(Operation.id).limit(1)).one()


def visible_record(db, user: User, status: str | None = None) -> Operation | None:
    query = select(Operation).where(policy.visible_operations(user)).order_by(Operation.id)
    if status:
        query = query.where(Operation.status == status)
    return _first(db, query)


def url_for_rule(rule, values: dict) -> str | None:
    """The rule's path with sample values, or None when a sample is missing."""
    if any(name not in values for name in rule.arguments):
        return None
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def english_strings(lang: str, extracted) -> set[str]:
    """English msgids whose `lang` translation differs: one shown whole on a page was left untranslated."""
    translated = cats.catalogue(lang)
    found = set()
    for message in extracted:
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
            continue
        entry = translated.get(message.id, context=message.context)
        if entry and entry.string and entry.string != message.id:
            found.add(message.id)
    return found


def languages_for(role_index: int, reaching: int, page_index: int) -> list[str]:
    """Which languages this role visits a page in, so that every page is seen in all three.

    With three or more roles reaching the page, each takes one language in turn (shifted by
    the page so the roles rotate); with fewer, the roles share the three between them.
    """
    if reaching >= len(LANGS):
        return [LANGS[(role_index + page_index) % len(LANGS)]]
    return [lang for number, lang in enumerate(LANGS) if number % reaching == role_index]
