"""Who may do what: the one place where access is decided.

Actions are declared as data (ACTIONS). `can()` answers for one user and one
object, `require()` turns a refusal into 404 (the record is not visible) or
403 (visible but not allowed) and audits it, and `visible_operations()` is the
same visibility rule compiled to SQL, for every list, count, facet, export,
API answer and correlation. Whether a user may *view* one record is asked of
the database through that very filter, so the page and the list cannot
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, false, or_, select, true
from sqlmodel import Session

from ops import audit
from ops.db import session as db_session
from ops.models import AuditEvent, Operation, OperationShare, Seizure, TeamMember, User
from ops.models_equipment import EquipmentItem

RECORD_READERS = frozenset({"officer", "lead", "supervisor", "analyst", "auditor"})
# Roles that never touch a record: every record page, search and export answers them 404,
# as if nothing were there, rather than 403 (which would confirm the page exists for others).
NO_RECORD_ROLES = frozenset({"programme_officer"})
EDITABLE = frozenset({"draft", "returned"})


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
    "own_agency_people": _l("users of their own agency"),
    "system": _l("the whole system"),
    "equipment": _l("their agency's equipment; programme officers: all equipment"),
    "team_page": _l("their own team's page; programme officers: every team"),
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
        Action("view_history", _l("See a record's revision history"), RECORD_READERS, "visible"),
        Action(
            "view_readers",
            _l("See who outside the agency viewed its records"),
            frozenset({"supervisor", "auditor"}),
            "owner_agency",
        ),
        Action("search", _l("Search and view dashboards"), RECORD_READERS, "any"),
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
        "view_equipment",
        "manage_equipment",
        "manage_programme",
        "view_programme_report",
        "view_team_page",
        "view_audit",
    }
)


def team_ids(user: User) -> frozenset[int]:
    """The user's teams, read once per request (cached on flask.g by user id)."""
    cache = g.setdefault("team_ids_by_user", {})
    if user.id not in cache:
        rows = db_session().execute(select(TeamMember.team_id).where(TeamMember.user_id == user.id))
        cache[user.id] = frozenset(row[0] for row in rows)
    return cache[user.id]


def _has_role(user: User, action: Action) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in action.roles or (action.sysadmin and user.is_sysadmin)


def _in_scope(user: User, action: Action, obj) -> bool:
    scope = action.scope
    if scope in ("any", "system"):
        return True
    if scope == "own_agency_people":
        return obj.agency_id == user.agency_id
    if scope == "visible":
        return is_visible(user, obj) and (action.name != "view_persons" or persons_visible(user, obj))
    if scope == "owner_team":
        return obj.owner_team_id in team_ids(user)
    if scope == "owner_agency":
        return obj.owner_agency_id == user.agency_id
    if scope == "equipment":
        return user.role in NO_RECORD_ROLES or obj.agency_id == user.agency_id
    if scope == "team_page":
        return user.role in NO_RECORD_ROLES or obj.id in team_ids(user)
    if scope == "owner_team_or_agency":
        if user.role == "supervisor":
            return obj.owner_agency_id == user.agency_id
        return obj.owner_team_id in team_ids(user)
    raise ValueError(f"unknown scope {scope}")


def can(user: User, action: str, obj=None) -> bool:
    """May `user` do `action` (to `obj`, when given)? Unknown actions are refused loudly."""
    rule = ACTIONS[action]
    if not _has_role(user, rule):
        return False
    if obj is None:
        return True
    if rule.statuses is not None and getattr(obj, "status", None) not in rule.statuses:
        return False
    return _in_scope(user, rule, obj)


# --- the visibility rule, in SQL -------------------------------------------------------


def visible_operations(user: User):
    """A WHERE clause on Operation: the records `user` may see.

    Drafts, submitted and returned records stay with the owning team and the
    owning agency's supervisors. Approved records are shared as their
    visibility says: team, agency, partners (agencies listed in
    operationshare) or all.
    """
    return _visibility_rule(
        user,
        _RecordColumns(
            Operation.id, Operation.owner_agency_id, Operation.owner_team_id, Operation.status, Operation.visibility
        ),
    )


def visible_seizures(user: User):
    """A WHERE clause on Seizure: the seizures of the records `user` may see.

    The same rule as visible_operations, read from the copies of the
    operation's columns that the database keeps on every seizure (migration
    0004), so that searches, facets and dashboards need no join.
    """
    return _visibility_rule(
        user,
        _RecordColumns(
            Seizure.operation_id, Seizure.owner_agency_id, Seizure.op_team_id, Seizure.op_status, Seizure.op_visibility
        ),
    )


@dataclass(frozen=True)
class _RecordColumns:
    operation_id: object
    owner_agency_id: object
    owner_team_id: object
    status: object
    visibility: object


def _visibility_rule(user: User, record: _RecordColumns):
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or user.role not in RECORD_READERS
        or not user.is_active
    ):
        return false()
    teams = team_ids(user)
    in_team = record.owner_team_id.in_(teams) if teams else false()
    own_agency = record.owner_agency_id == user.agency_id
    agency_supervisor = own_agency if user.role == "supervisor" else false()
    shared_with_agency = exists().where(
        OperationShare.operation_id == record.operation_id, OperationShare.agency_id == user.agency_id
    )
    released = and_(
        record.status == "approved",
        or_(
            and_(record.visibility == "agency", own_agency),
            and_(record.visibility == "partners", or_(own_agency, shared_with_agency)),
            record.visibility == "all",
        ),
    )
    return or_(in_team, agency_supervisor, released)


def persons_clause(user: User):
    """A WHERE clause on Operation: records whose persons' identities `user` may see."""
    return or_(Operation.owner_agency_id == user.agency_id, Operation.share_persons == true())


def seizure_persons_clause(user: User):
    """persons_clause on Seizure, through the same copies as visible_seizures."""
    return or_(Seizure.owner_agency_id == user.agency_id, Seizure.op_share_persons == true())


def is_visible(user: User, operation: Operation) -> bool:
    found = (
        db_session().execute(select(Operation.id).where(Operation.id == operation.id, visible_operations(user))).first()
    )
    return found is not None


def persons_visible(user: User, operation: Operation) -> bool:
    return operation.owner_agency_id == user.agency_id or bool(operation.share_persons)


def visible_equipment(user: User, agency_column=None):
    """A WHERE clause on the register (items, batches: any table with the recipient's agency_id).

    Programme officers read all of it; agency administrators their own agency's.
    """
    column = agency_column if agency_column is not None else EquipmentItem.agency_id
    if not can(user, "view_equipment"):
        return false()
    if user.role in NO_RECORD_ROLES:
        return true()
    return column == user.agency_id


# --- refusing --------------------------------------------------------------------------


def refuse(user: User, action: str, obj=None, status: int = 403):
    """Audit the refusal in its own transaction, then answer 403 or 404."""
    audit.record_now(
        current_app.extensions["ops_engine"],
        f"refused:{action}",
        user=user,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", "") if obj is not None else "",
        object_agency_id=getattr(obj, "owner_agency_id", None),
        outcome="refused",
    )
    abort(status)


def require(user: User, action: str, obj=None) -> None:
    """Go on only if allowed. A record the user may not see answers 404, as if absent."""
    if can(user, action, obj):
        return
    hidden = isinstance(obj, Operation) and not (_has_role(user, ACTIONS["view"]) and is_visible(user, obj))
    hidden = hidden or (action in RECORD_ACTIONS and getattr(user, "role", None) in NO_RECORD_ROLES)
    # an item or a team page outside the user's scope is as absent as a hidden record
    scope = ACTIONS[action].scope
    if obj is not None and scope == "equipment":
        hidden = hidden or not can(user, "view_equipment", obj)
    hidden = hidden or (obj is not None and scope == "team_page")
    refuse(user, action, obj, 404 if hidden else 403)


def load_operation(db: Session, operation_id: int, user: User, action: str = "view") -> Operation:
    """Load for `action` or answer 404/403: the only way a view gets an operation."""
    operation = db.get(Operation, operation_id)
    if operation is None:
        abort(404)
    require(user, action, operation)
    return operation


def policy_matrix() -> list[tuple[Action, dict[str, bool]]]:
    """Roles x actions, for the policy page and its test."""
    from ops.vocab import ROLES

    return [(rule, {role: role in rule.roles for role in ROLES}) for rule in ACTIONS.values()]


# --- the audit trail, in SQL -------------------------------------------------------------


def visible_audit_events(user: User):
    """A WHERE clause on AuditEvent: what an auditor of an agency may read.

    Events done by people of the agency, and events that touched the agency's
    records or accounts (including other agencies reading its records).
    """
    if not can(user, "view_audit"):
        return false()
    return or_(AuditEvent.agency_id == user.agency_id, AuditEvent.object_agency_id == user.agency_id)


def outside_reads_of_own_records(user: User):
    """A WHERE clause on AuditEvent: views of this agency's records by people of other agencies."""
    if not can(user, "view_readers"):
        return false()
    return and_(
        AuditEvent.action == "view",
        AuditEvent.object_type == "operation",
        AuditEvent.object_agency_id == user.agency_id,
        AuditEvent.agency_id != user.agency_id,
    )
