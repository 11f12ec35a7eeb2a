"""Who may do what: the one place where access is decided.

Actions are declared as data (ACTIONS, kept in ops/policy_actions.py and read
through this module). `can()` answers for one user and one object, `require()`
turns a refusal into 404 (the record is not visible) or 403 (visible but not
allowed) and audits it, and `visible_operations()` is the same visibility rule
compiled to SQL, for every list, count, facet, export, API answer and
correlation. Whether a user may *view* one record is asked of the database
through that very filter, so the page and the list cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, g, has_request_context
from sqlalchemy import and_, event, exists, false, or_, select, true
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ops import audit, clock
from ops.db import session as db_session
from ops.models import (
    AccessGrant,
    Agency,
    AuditEvent,
    AuditHead,
    Operation,
    OperationHitAgency,
    OperationIdentityGrant,
    OperationShare,
    Seizure,
    Team,
    TeamMember,
    User,
)
from ops.models_equipment import EquipmentItem
from ops.models_liaison import HeadsUp, Release
from ops.models_plans import Plan

# the tables are data of their own (ops/policy_actions.py); ops.policy is their one public name, so
# FOREIGN_PARTNER_ROLES, SCOPES and TEAM_ROLES, which only other modules read, are imported for them
from ops.policy_actions import (  # noqa: F401
    ACTIONS,
    FOREIGN_PARTNER_ACTIONS,
    FOREIGN_PARTNER_ROLES,
    NO_RECORD_ROLES,
    RECORD_ACTIONS,
    RECORD_READERS,
    REVIEWERS,
    SCOPES,
    TEAM_ROLES,
    TWO_FACTOR_ROLES,
    Action,
)
from ops.vocab import NO_FURTHER_DISSEMINATION, ROLES

# --- answers memoised per request ---------------------------------------------------------
# A record page asks the same questions many times (may the reader view it: on loading, for its history, in
# the template; the visibility clause: once per correlation query). The answers are kept for the request and
# forgotten as soon as the request's session writes anything, so a change is never judged by an old answer.


def _memo(key: tuple, compute):
    """compute(), kept on flask.g for the rest of the request under `key`; outside a request, computed each time."""
    if not has_request_context():
        return compute()
    cache = g.setdefault("policy_memo", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _reader_key(user: User) -> tuple:
    """What the clauses built for `user` depend on, besides the teams (cached per request by team_ids)."""
    return (
        getattr(user, "id", None),
        getattr(user, "agency_id", None),
        getattr(user, "role", None),
        bool(getattr(user, "is_authenticated", False)),
        bool(getattr(user, "is_active", False)),
    )


# the audit trail's own writes (a read's view event) change nothing that an answer depends on
_AUDIT_TABLES = frozenset({AuditEvent.__tablename__, AuditHead.__tablename__})


@event.listens_for(Session, "after_flush")
def _forget_answers_after_flush(session, _context) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    if any(getattr(obj, "__tablename__", None) not in _AUDIT_TABLES for obj in changed):
        _forget_answers()


@event.listens_for(Session, "after_rollback")
def _forget_answers(*_args) -> None:
    if has_request_context():
        g.pop("policy_memo", None)


@event.listens_for(Session, "do_orm_execute")
def _forget_answers_on_write(orm_execute_state) -> None:
    """An UPDATE, INSERT or DELETE statement (not through the unit of work) outside the audit trail."""
    table = getattr(orm_execute_state.statement, "table", None)
    if not orm_execute_state.is_select and getattr(table, "name", None) not in _AUDIT_TABLES:
        _forget_answers()


def team_ids(user: User) -> frozenset[int]:
    """The user's teams, read once per request (cached on flask.g by user id)."""
    cache = g.setdefault("team_ids_by_user", {})
    if user.id not in cache:
        rows = db_session().execute(select(TeamMember.team_id).where(TeamMember.user_id == user.id))
        cache[user.id] = frozenset(row[0] for row in rows)
    return cache[user.id]


def in_liaison_office(user: User) -> bool:
    """Is the user in a border liaison office's team (those who work with the counterpart across the border)?"""
    ids = team_ids(user)
    if not ids:
        return False
    found = db_session().execute(select(Team.id).where(Team.id.in_(ids), Team.kind == "blo")).first()
    return found is not None


def may_send_headsup(user: User) -> bool:
    """A counterpart office's people; on the national side, supervisors and the border liaison offices' leads."""
    if not can(user, "send_headsup"):
        return False
    return is_foreign_partner(user) or user.role == "supervisor" or (user.role == "lead" and in_liaison_office(user))


def require_headsup_sender(user: User) -> None:
    """Go on only for those who may send a heads-up: 404 to a counterpart office's people (as for all they may
    not do) and to the roles that never touch a record, 403 to other national users."""
    if not may_send_headsup(user):
        hidden = is_foreign_partner(user) or user.role in NO_RECORD_ROLES
        refuse(user, "send_headsup", None, 404 if hidden else 403)


def visible_headsups(user: User):
    """A WHERE clause on HeadsUp: what the user's agency sent or received."""
    if user.role not in RECORD_READERS:
        return false()
    return or_(HeadsUp.from_agency_id == user.agency_id, HeadsUp.to_agency_id == user.agency_id)


def visible_releases(user: User):
    """A WHERE clause on Release: its owner agency's releases; for a counterpart office, those delivered to it."""
    if is_foreign_partner(user):
        return and_(Release.to_agency_id == user.agency_id, Release.status == "delivered")
    if user.role not in RECORD_READERS:
        return false()
    return Release.owner_agency_id == user.agency_id


def is_foreign_partner(user: User | None) -> bool:
    """Is `user` one of a foreign counterpart office's people? (read once per request, cached on flask.g)"""
    return is_foreign_partner_agency(getattr(user, "agency_id", None))


def know_foreign_partner(agency_id: int | None, foreign_partner: bool) -> None:
    """What the signed-in user's loader read with the user: is_foreign_partner_agency needs not ask."""
    if agency_id is not None and has_request_context():
        g.setdefault("foreign_partner_by_agency", {})[agency_id] = foreign_partner


def is_foreign_partner_agency(agency_id: int | None) -> bool:
    if agency_id is None:
        return False
    cache = g.setdefault("foreign_partner_by_agency", {})
    if agency_id not in cache:
        found = db_session().execute(select(Agency.is_foreign_partner).where(Agency.id == agency_id)).first()
        cache[agency_id] = bool(found and found[0])
    return cache[agency_id]


def never_reads_records(user: User | None) -> bool:
    """Programme officers and foreign partners' people: record pages answer them 404, as if absent."""
    return getattr(user, "role", None) in NO_RECORD_ROLES or is_foreign_partner(user)


def _has_role(user: User, action: Action) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if action.name not in FOREIGN_PARTNER_ACTIONS and is_foreign_partner(user):
        return False
    return user.role in action.roles or (action.sysadmin and user.is_sysadmin)


def _in_scope(user: User, action: Action, obj) -> bool:
    scope = action.scope
    if scope in ("any", "system"):
        return True
    if scope == "own_agency_people":
        # a counterpart office has no administrator of its own: system administrators keep its people
        return obj.agency_id == user.agency_id or (user.is_sysadmin and is_foreign_partner_agency(obj.agency_id))
    if scope == "self":
        return obj.user_id == user.id
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
    if scope == "linking":
        return is_analysis_centre(user) or user.agency_id in obj.agency_ids
    if scope == "agency_team":
        return plan_visible(user, obj)
    if scope == "owner_agency_blo":
        return obj.owner_agency_id == user.agency_id and (user.role in REVIEWERS or in_liaison_office(user))
    if scope == "release_parties":
        if is_foreign_partner(user):
            return obj.to_agency_id == user.agency_id and obj.status == "delivered"
        return obj.owner_agency_id == user.agency_id
    if scope == "release_writer":
        mine = obj.created_by_id == user.id or user.role in REVIEWERS
        return obj.owner_agency_id == user.agency_id and mine
    if scope == "release_recipient":
        return obj.to_agency_id == user.agency_id and is_foreign_partner(user)
    if scope == "headsup_parties":
        return user.agency_id in (obj.from_agency_id, obj.to_agency_id)
    if scope == "headsup_recipient":
        return obj.to_agency_id == user.agency_id and obj.expires_at > clock.now()
    if scope == "owner_team_or_agency":
        if user.role in REVIEWERS:
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


# --- seizure events: who decides a "same seizure" link ---------------------------------


def analysis_centre_agency_id() -> int | None:
    """The agency named by OPS_ANALYSIS_CENTRE_AGENCY (its code), read once per request; None when unset."""
    code = current_app.config.get("ANALYSIS_CENTRE_AGENCY", "")
    if not code:
        return None
    cache = g.setdefault("analysis_centre_by_code", {})
    if code not in cache:
        cache[code] = db_session().execute(select(Agency.id).where(Agency.code == code)).scalar()
    return cache[code]


def is_analysis_centre(user: User) -> bool:
    """A user of the national analysis centre, whose supervisors decide links alone."""
    centre = analysis_centre_agency_id()
    return centre is not None and getattr(user, "agency_id", None) == centre


def may_confirm_link(user: User, link) -> bool:
    """Confirming a proposed link: a supervisor of the other agency than the proposer's (of the same one when
    both reports are of one agency), never the proposer; the analysis centre's supervisors alone, any open link."""
    if not can(user, "link_seizures", link) or user.id == link.proposed_by_id:
        return False
    if is_analysis_centre(user):
        return True
    if link.status != "proposed":
        return False
    return user.agency_id != link.proposed_agency_id or len(link.agency_ids) == 1


# --- the visibility rule, in SQL -------------------------------------------------------


def visible_operations(user: User):
    """A WHERE clause on Operation: the records `user` may see.

    Drafts, submitted and returned records stay with the owning team and the
    owning agency's supervisors. Approved records are shared as their
    visibility says: team, agency, partners (agencies listed in
    operationshare) or all. Built once per request and reader (building it costs about a millisecond).
    """
    return _memo(("visible_operations", *_reader_key(user)), lambda: _visibility_rule(user, _OPERATION_COLUMNS))


def visible_seizures(user: User, seizure=Seizure):
    """A WHERE clause on Seizure (or an alias of it): the seizures of the records `user` may see.

    The same rule as visible_operations, read from the copies of the
    operation's columns that the database keeps on every seizure (migration
    0004), so that searches, facets and dashboards need no join.
    """
    return _visibility_rule(
        user,
        _RecordColumns(
            seizure.operation_id, seizure.owner_agency_id, seizure.op_team_id, seizure.op_status, seizure.op_visibility
        ),
    )


def counted_seizures(user: User):
    """A WHERE clause on Seizure: the reports that count in `user`'s totals (a seizure event once).

    A report counts unless it is a linked report that is not its event's primary and the reader may
    see the primary as well: a reader of both counts the primary's figures, a reader of one counts
    that report's own. Unlinked seizures (nearly all) are settled by the IS NULL alone.
    """
    primary = aliased(Seizure)
    primary_visible = exists().where(primary.id == Seizure.event_primary_id, visible_seizures(user, primary))
    return or_(Seizure.event_primary_id.is_(None), ~primary_visible)


def counted_in_aggregates(in_scope_primary):
    """counted_seizures for the aggregate rule (readers of no record): a linked non-primary counts
    unless its primary is in the same scope; `in_scope_primary(primary)` is that scope's clause."""
    primary = aliased(Seizure)
    return or_(
        Seizure.event_primary_id.is_(None),
        ~exists().where(primary.id == Seizure.event_primary_id, in_scope_primary(primary)),
    )


@dataclass(frozen=True)
class _RecordColumns:
    operation_id: object
    owner_agency_id: object
    owner_team_id: object
    status: object
    visibility: object


_OPERATION_COLUMNS = _RecordColumns(
    Operation.id, Operation.owner_agency_id, Operation.owner_team_id, Operation.status, Operation.visibility
)


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
    agency_supervisor = own_agency if user.role in REVIEWERS else false()
    shared_with_agency = exists().where(
        OperationShare.operation_id == record.operation_id, OperationShare.agency_id == user.agency_id
    )
    released = and_(
        record.status == "approved",
        or_(
            and_(record.visibility == "agency", own_agency),
            and_(record.visibility == "partners", or_(own_agency, shared_with_agency)),
            record.visibility == "all",
            _granted(user, record.operation_id),
        ),
    )
    return and_(_national(user), or_(in_team, agency_supervisor, released))


def _national(user: User):
    """In SQL: the user's agency is not a foreign counterpart office (whose people read no record). Pure SQL, so
    that the clauses hold wherever they are built, with or without a request."""
    return ~exists().where(Agency.id == user.agency_id, Agency.is_foreign_partner == true())


def _granted(user: User, operation_id, persons: bool = False):
    """An access grant to the user's agency for this record, not expired (whatever the record's visibility)."""
    conditions = [
        AccessGrant.operation_id == operation_id,
        AccessGrant.agency_id == user.agency_id,
        or_(AccessGrant.until.is_(None), AccessGrant.until > clock.now()),
    ]
    if persons:
        conditions.append(AccessGrant.persons == true())
    return exists().where(*conditions)


def _persons_rule(user: User, operation_id, owner_agency_id, visibility, share_persons):
    """Whose identities `user` gets, in SQL (see README, "Access model").

    The owning agency always. A `partners` record: the share-list agencies ticked
    "with identities". Any other record: every reader when identities go to all
    readers (share_persons), else the agencies named as exceptions.
    """
    if user is None or getattr(user, "agency_id", None) is None:
        return false()
    per_partner = exists().where(
        OperationShare.operation_id == operation_id,
        OperationShare.agency_id == user.agency_id,
        OperationShare.persons == true(),
    )
    excepted = exists().where(
        OperationIdentityGrant.operation_id == operation_id, OperationIdentityGrant.agency_id == user.agency_id
    )
    return and_(
        _national(user),
        or_(
            owner_agency_id == user.agency_id,
            and_(visibility == "partners", per_partner),
            and_(visibility != "partners", or_(share_persons == true(), excepted)),
            _granted(user, operation_id, persons=True),
        ),
    )


# --- hits: who is told that a record exists ----------------------------------------------------------

HIT_FREE_CODES = ("H0", "H1")  # H2/H3 records give hits only to the agencies on their "may see hits" list


def hits_clause(user: User):
    """A WHERE clause on Operation: the records that give `user` a hit for a matching identifier.

    Only approved records, never a silent one; an H2/H3 record only to the agencies
    on its "may see hits" list. Callers add `not visible_operations(user)` to keep
    to the records the user cannot read. Foreign partners' people get none: `can` refuses them
    every action outside FOREIGN_PARTNER_ACTIONS.
    """
    if not can(user, "look_up_elsewhere"):
        return false()
    may_see_hits = exists().where(
        OperationHitAgency.operation_id == Operation.id, OperationHitAgency.agency_id == user.agency_id
    )
    return and_(
        Operation.status == "approved",
        Operation.silent == false(),
        or_(Operation.handling_code.in_(HIT_FREE_CODES), may_see_hits),
    )


def holder_disclosed():
    """A boolean column on Operation: may a reader who cannot read the record learn which agency holds it (a
    possible duplicate's notice)? As for hits: approved, not silent, not under H2/H3 (its "may see hits" list
    is about lookups, not duplicates)."""
    return and_(
        Operation.status == "approved",
        Operation.silent == false(),
        Operation.handling_code.in_(HIT_FREE_CODES),
    )


def persons_clause(user: User):
    """A WHERE clause on Operation: records whose persons' identities `user` may see (built once per request)."""
    return _memo(
        ("persons_clause", *_reader_key(user)),
        lambda: _persons_rule(
            user, Operation.id, Operation.owner_agency_id, Operation.visibility, Operation.share_persons
        ),
    )


def seizure_persons_clause(user: User):
    """persons_clause on Seizure, through the same copies as visible_seizures."""
    return _persons_rule(
        user, Seizure.operation_id, Seizure.owner_agency_id, Seizure.op_visibility, Seizure.op_share_persons
    )


def is_visible(user: User, operation: Operation) -> bool:
    """visible_operations for one record, asked of the database (once per request until it writes). A record
    of another agency is asked persons_visible in the same statement: its page asks that next."""
    key = _reader_key(user)

    def visible_and_persons() -> bool:
        if operation.owner_agency_id == getattr(user, "agency_id", None):
            return _found(operation, visible_operations(user))
        row = (
            db_session()
            .execute(select(persons_clause(user)).where(Operation.id == operation.id, visible_operations(user)))
            .first()
        )
        if row is not None:
            _memo(("persons_visible", *key, operation.id), lambda: bool(row[0]))
        return row is not None

    return _memo(("is_visible", *key, operation.id), visible_and_persons)


def persons_visible(user: User, operation: Operation) -> bool:
    """persons_clause for one record, asked of the database so that page and lists agree."""
    if operation.owner_agency_id == getattr(user, "agency_id", None):
        return True
    return _memo(("persons_visible", *_reader_key(user), operation.id), lambda: _found(operation, persons_clause(user)))


def _found(operation: Operation, clause) -> bool:
    return db_session().execute(select(Operation.id).where(Operation.id == operation.id, clause)).first() is not None


# --- planned operations: their own agency only ------------------------------------------


def visible_plans(user: User, plan=Plan):
    """A WHERE clause on Plan: the plans `user` may see. Only the owning agency: its supervisors all of
    them, its team members their team's (a team member of another agency in the same team: none)."""
    if not can(user, "view_plan"):
        return false()
    own_agency = plan.owner_agency_id == user.agency_id
    if user.role in REVIEWERS:
        return own_agency
    teams = team_ids(user)
    return and_(own_agency, plan.owner_team_id.in_(teams)) if teams else false()


def plan_visible(user: User, plan: Plan) -> bool:
    """visible_plans for one plan, asked of the database so that page and list agree."""
    found = db_session().execute(select(Plan.id).where(Plan.id == plan.id, visible_plans(user))).first()
    return found is not None


# --- handling codes: what leaves the reader's hands ----------------------------------------


def exportable_seizures(user: User):
    """A WHERE clause on Seizure: what `user` may take out in an export.

    H2 (no further dissemination without the owner's permission) stays with the
    owning agency: readers of other agencies may read such a record but never export it.
    """
    return or_(Seizure.owner_agency_id == user.agency_id, Seizure.op_handling_code != NO_FURTHER_DISSEMINATION)


def exportable_operations(user: User):
    """exportable_seizures on Operation."""
    return or_(Operation.owner_agency_id == user.agency_id, Operation.handling_code != NO_FURTHER_DISSEMINATION)


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
    """Go on only if allowed: 404 (audited) for what the user may not see, as if absent; 403 for the rest."""
    if can(user, action, obj):
        return
    refuse(user, action, obj, 403 if may_see(user, obj, action) else 404)


def may_see(user: User, obj, action: str = "view") -> bool:
    """Whether a refusal may admit that `obj` exists. Nothing of records, for roles that never touch one;
    a record: if the user may view it; an equipment item: if the user may read the register's item.
    Anything else (a user account, an import batch, a saved search, a team page) is seen only by those
    allowed to act on it."""
    if is_foreign_partner(user) or (action in RECORD_ACTIONS and getattr(user, "role", None) in NO_RECORD_ROLES):
        return False
    if obj is None:
        return True
    if isinstance(obj, Operation):
        return _has_role(user, ACTIONS["view"]) and is_visible(user, obj)
    if isinstance(obj, Plan):
        return can(user, "view_plan", obj)
    if ACTIONS[action].scope == "equipment":
        return can(user, "view_equipment", obj)
    return False


def load(db: Session, model, object_id: int, user: User, action: str = "view"):
    """The one loader of every route: the object for `action`, or 404/403 as `require` decides."""
    obj = db.get(model, object_id)
    if obj is None:
        abort(404)
    require(user, action, obj)
    return obj


def load_operation(db: Session, operation_id: int, user: User, action: str = "view") -> Operation:
    """`load` for operations, the most common case."""
    return load(db, Operation, operation_id, user, action)


def must_use_two_factor(user: User, require_for_all: bool) -> bool:
    """Must this user sign in with a second factor? (`require_for_all`: OPS_REQUIRE_2FA_FOR_ALL.)"""
    return bool(require_for_all or user.role in TWO_FACTOR_ROLES or user.is_sysadmin or is_foreign_partner(user))


def policy_matrix() -> list[tuple[Action, dict[str, bool]]]:
    """Roles x actions, for the policy page and its test."""

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
