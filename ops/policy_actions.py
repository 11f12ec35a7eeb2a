"""What may be done, as data: the role lists, the actions with their roles and scopes, the scopes' labels.

ops.policy decides with these tables and is their one public name: other modules read them through it
(policy.ACTIONS, policy.SCOPES...), never from here. Kept apart so that the rules read as a table, without
the code that applies them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

RECORD_READERS = frozenset({"officer", "lead", "supervisor", "analyst", "auditor"})
TEAM_ROLES = frozenset({"officer", "lead"})  # the roles that work in teams (and belong to them)
REVIEWERS = frozenset({"supervisor"})  # review the agency's submitted records
# who must sign in with a second factor (everyone, with OPS_REQUIRE_2FA_FOR_ALL; system administrators always)
TWO_FACTOR_ROLES = frozenset({"admin", "supervisor", "auditor"})
# Roles that never touch a record: every record page, search and export answers them 404,
# as if nothing were there, rather than 403 (which would confirm the page exists for others).
NO_RECORD_ROLES = frozenset({"programme_officer"})
# Counterpart offices of neighbouring countries (agency.is_foreign_partner): every rule of ops.policy
# means national agencies only. Their people (a lead or an analyst of the office, always with a second
# factor) read no record, search, export, correlation or hit: every such page answers 404, as for
# NO_RECORD_ROLES. What they may do is FOREIGN_PARTNER_ACTIONS (what is released or sent to their office,
# which comes with the inbox), nothing else of ACTIONS.
FOREIGN_PARTNER_ROLES = frozenset({"lead", "analyst"})
FOREIGN_PARTNER_ACTIONS = frozenset(
    {"view_release", "acknowledge_release", "send_headsup", "view_headsup", "answer_headsup"}
)
HEADSUP_SENDERS = frozenset(
    {"lead", "supervisor", "analyst"}
)  # national analysts read them; see policy.may_send_headsup
EDITABLE = frozenset({"draft", "returned"})
PLANNERS = frozenset({"officer", "lead"})  # enter plans for a team they belong to
PLAN_READERS = PLANNERS | REVIEWERS  # a plan is seen by its team (of its agency) and its agency's supervisors


@dataclass(frozen=True)
class Action:
    name: str
    label: object
    roles: frozenset
    scope: str  # see SCOPES
    statuses: frozenset | None = None  # record states in which the action applies
    sysadmin: bool = False  # granted by the system-administrator flag instead of a role


SCOPES = {
    "any": _l("anywhere"),
    "visible": _l("records they may see"),
    "owner_team": _l("records of their own team"),
    "owner_team_or_agency": _l("their team's records; supervisors: their agency's records"),
    "owner_agency": _l("records of their own agency"),
    "own_agency_people": _l("users of their own agency; system administrators: a counterpart office's too"),
    "system": _l("the whole system"),
    "self": _l("their own"),
    "equipment": _l("their agency's equipment; programme officers: all equipment"),
    "team_page": _l("their own team's page; programme officers: every team"),
    "linking": _l("links of their agency's seizures; the national analysis centre: any link"),
    "agency_team": _l("their own agency's plans of their team; supervisors: all their agency's plans"),
    "owner_agency_blo": _l("records of their own agency; leads: of a border liaison office's team"),
    "release_parties": _l("releases of their agency's records; a counterpart office: what was delivered to it"),
    "release_recipient": _l("releases delivered to their own counterpart office"),
    "release_writer": _l("releases they wrote; supervisors: every release of their agency"),
    "headsup_parties": _l("heads-up messages their agency sent or received"),
    "headsup_recipient": _l("heads-up messages addressed to their agency, until they expire"),
}

ACTIONS = {
    a.name: a
    for a in [
        Action("view", _l("View a record"), RECORD_READERS, "visible"),
        Action("view_persons", _l("See identities of persons"), RECORD_READERS, "visible"),
        Action("create", _l("Create an operation"), frozenset({"officer", "lead"}), "any"),
        Action("edit", _l("Edit a draft or returned record"), frozenset({"officer", "lead"}), "owner_team", EDITABLE),
        Action(
            "attach", _l("Add or remove photos and documents"), frozenset({"officer", "lead"}), "owner_team", EDITABLE
        ),
        Action("submit", _l("Submit for review"), frozenset({"lead"}), "owner_team", EDITABLE),
        Action(
            "review",
            _l("Approve or return a submitted record"),
            frozenset({"supervisor"}),
            "owner_agency",
            frozenset({"submitted"}),
        ),
        Action(
            "amend",
            _l("Amend an approved record (with a reason)"),
            frozenset({"lead", "supervisor"}),
            "owner_team_or_agency",
            frozenset({"approved"}),
        ),
        Action(
            "change_visibility",
            _l("Change who may see a record"),
            frozenset({"lead", "supervisor"}),
            "owner_team_or_agency",
        ),
        Action(
            "change_handling",
            _l("Change a record's handling code and grading"),
            frozenset({"lead", "supervisor"}),
            "owner_agency",
        ),
        Action(
            "legal_hold",
            _l("Put an approved record under a legal hold, or lift it (retention keeps its identities)"),
            frozenset({"supervisor"}),
            "owner_agency",
            frozenset({"approved"}),
        ),
        Action("view_history", _l("See a record's revision history"), RECORD_READERS, "visible"),
        Action(
            "view_review_remarks",
            _l("Read return comments and other review remarks"),
            RECORD_READERS,
            "owner_agency",
        ),
        Action(
            "view_as_partners",
            _l("See a record as readers of other agencies see it"),
            RECORD_READERS,
            "owner_team_or_agency",
        ),
        Action(
            "view_readers",
            _l("See who outside the agency viewed its records"),
            frozenset({"supervisor", "auditor"}),
            "owner_agency",
        ),
        Action("search", _l("Search and view dashboards"), RECORD_READERS, "any"),
        Action(
            "look_up_elsewhere",
            _l("Look up an identifier in other agencies' records (hits, with a purpose)"),
            RECORD_READERS - {"auditor"},
            "any",
        ),
        Action(
            "set_hits",
            _l("Mark a record silent and choose the agencies that get hits of an H2/H3 record"),
            frozenset({"supervisor"}),
            "owner_agency",
        ),
        Action(
            "follow_access_requests",
            _l("Follow requests for access: one's own, and those to one's agency"),
            RECORD_READERS,
            "any",
        ),
        Action(
            "answer_access_requests",
            _l("Answer other agencies' requests for access to a record"),
            frozenset({"supervisor"}),
            "owner_agency",
        ),
        Action("export", _l("Export search results"), frozenset({"lead", "supervisor", "analyst"}), "any"),
        Action("import", _l("Import seizure records"), frozenset({"supervisor"}), "owner_agency"),
        Action("view_audit", _l("Read the audit trail of the agency"), frozenset({"auditor"}), "any"),
        Action("manage_users", _l("Manage the agency's users"), frozenset({"admin"}), "own_agency_people"),
        Action(
            "view_policy",
            _l("Read this access policy"),
            frozenset({"admin", "auditor", "supervisor"}),
            "any",
            sysadmin=True,
        ),
        Action("manage_orgs", _l("Manage agencies and teams"), frozenset(), "system", sysadmin=True),
        Action(
            "manage_places",
            _l("Keep the register of crossing points and places"),
            frozenset(),
            "system",
            sysadmin=True,
        ),
        Action("keep_saved_searches", _l("Keep saved searches"), RECORD_READERS, "self"),
        Action(
            "view_equipment",
            _l("Read the equipment register"),
            frozenset({"admin", "programme_officer"}),
            "equipment",
        ),
        Action(
            "manage_equipment",
            _l("Register handover batches and keep items' status and assignment"),
            frozenset({"admin"}),
            "equipment",
        ),
        Action(
            "import_equipment",
            _l("Import equipment items from a spreadsheet"),
            frozenset({"admin", "programme_officer"}),
            "equipment",
        ),
        Action(
            "manage_programme",
            _l("Register donors and projects"),
            frozenset(),
            "system",
            sysadmin=True,
        ),
        Action(
            "view_programme_report",
            _l("Read the programme report (aggregate figures only)"),
            frozenset({"programme_officer", "supervisor", "analyst"}),
            "any",
        ),
        Action(
            "link_seizures",
            _l("Propose, confirm, reject or undo a “same seizure” link (the other agency confirms)"),
            REVIEWERS,
            "linking",
        ),
        Action(
            "view_duplicate_queue",
            _l("Read the queue of possible duplicate seizures"),
            frozenset({"supervisor", "analyst"}),
            "any",
        ),
        Action("plan", _l("Enter a planned operation for deconfliction"), PLANNERS, "any"),
        Action("view_plan", _l("See a planned operation and its conflicts"), PLAN_READERS, "agency_team"),
        Action(
            "edit_plan",
            _l("Change or cancel an active planned operation"),
            PLAN_READERS,
            "agency_team",
            frozenset({"active"}),
        ),
        Action(
            "resolve_plan_conflict", _l("Mark a conflict of a planned operation resolved"), PLAN_READERS, "agency_team"
        ),
        Action(
            "send_release",
            _l("Send a non-nominal extract of an approved record to a counterpart office"),
            frozenset({"lead", "supervisor"}),
            "owner_agency_blo",
            frozenset({"approved"}),
        ),
        Action(
            "approve_release",
            _l("Approve a release to a counterpart office (and tick that an H2/H3 condition is met)"),
            REVIEWERS,
            "owner_agency",
            frozenset({"pending"}),
        ),
        # refuse and withdraw apply to a pending release only; the service checks the state and says why not
        # ("already delivered", "already refused"), so they declare no statuses here
        Action(
            "refuse_release",
            _l("Refuse a release waiting for approval (with a reason); it is never sent"),
            REVIEWERS,
            "owner_agency",
        ),
        Action(
            "withdraw_release",
            _l("Withdraw a release waiting for approval; it is never sent"),
            frozenset({"lead", "supervisor"}),
            "release_writer",
        ),
        Action("view_release", _l("Read releases to counterpart offices"), RECORD_READERS, "release_parties"),
        Action(
            "acknowledge_release",
            _l("Acknowledge a release received from a counterpart"),
            FOREIGN_PARTNER_ROLES,
            "release_recipient",
            frozenset({"delivered"}),
        ),
        Action(
            "send_headsup",
            _l("Send a heads-up message to a counterpart office (national side: border liaison offices)"),
            HEADSUP_SENDERS,
            "any",
        ),
        Action("view_headsup", _l("Read heads-up messages"), RECORD_READERS, "headsup_parties"),
        Action(
            "answer_headsup",
            _l("Acknowledge or answer a heads-up message addressed to their agency"),
            HEADSUP_SENDERS,
            "headsup_recipient",
        ),
        Action(
            "view_team_page",
            _l("Read a team's performance page"),
            frozenset({"lead", "programme_officer"}),
            "team_page",
        ),
    ]
}

# Actions on records or their contents: refused with 404 to the roles that never read records.
RECORD_ACTIONS = frozenset(
    name
    for name in ACTIONS
    if name
    not in {
        "manage_users",
        "view_policy",
        "manage_orgs",
        "manage_places",
        "view_equipment",
        "manage_equipment",
        "import_equipment",
        "manage_programme",
        "view_programme_report",
        "view_team_page",
        "view_audit",
    }
)
