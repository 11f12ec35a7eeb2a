"""A checked SearchQuery -> WHERE clauses on Seizure, always with the policy's visibility filter.

Dates are days of the reporting calendar (see periods.py), turned into UTC
bounds; agencies and teams are looked up by code (an unknown code is an
error, never "no filter").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlmodel import Session

from ops import policy
from ops.models import Agency, Seizure, Team, local_name_sql
from ops.search.language.query import SearchQuery
from ops.search.sql.periods import day_start, reporting_zone


@dataclass(frozen=True)
class Scope:
    """Who is searching, the reporting time zone, and the code <-> id lookups the page needs."""

    user: object
    zone: ZoneInfo
    agency_ids: dict[str, int]
    agency_codes: dict[int, str]
    agency_names: dict[str, str]
    team_ids: dict[str, int]
    team_names: dict[str, str]

    @classmethod
    def of(cls, db: Session, user) -> Scope:
        agencies = db.exec(select(Agency.id, Agency.code, local_name_sql(Agency)).order_by(Agency.code)).all()
        teams = db.exec(select(Team.id, Team.code, local_name_sql(Team)).order_by(Team.code)).all()
        return cls(
            user=user,
            zone=reporting_zone(),
            agency_ids={code: i for i, code, _n in agencies},
            agency_codes={i: code for i, code, _n in agencies},
            agency_names={code: name for _i, code, name in agencies},
            team_ids={code: i for i, code, _n in teams},
            team_names={code: name for _i, code, name in teams},
        )


def check_codes(query: SearchQuery, scope: Scope) -> dict[str, str]:
    """Errors for agency and team codes that do not exist."""
    errors = {}
    unknown = [code for code in query.agency if code not in scope.agency_ids]
    if unknown:
        errors["agency"] = str(_l("Unknown agency code: %(codes)s.", codes=", ".join(unknown)))
    if query.team and query.team not in scope.team_ids:
        errors["team"] = str(_l("Unknown team code: %(code)s.", code=query.team))
    return errors


def conditions(query: SearchQuery, scope: Scope) -> list:
    """Every condition of the search, the visibility rule first. Call check_codes before."""
    found = [policy.visible_seizures(scope.user)]
    if query.date_from:
        found.append(Seizure.occurred_at >= day_start(query.date_from, scope.zone))
    if query.date_to:
        found.append(Seizure.occurred_at < day_start(query.date_to + timedelta(days=1), scope.zone))
    if query.agency:
        found.append(Seizure.owner_agency_id.in_([scope.agency_ids[code] for code in query.agency]))
    if query.team:
        found.append(Seizure.op_team_id == scope.team_ids[query.team])
    found.extend(_code_conditions(query))
    found.extend(_route_conditions(query))
    if query.kg_min is not None:
        found.append(Seizure.kg_equivalent >= query.kg_min)
    if query.kg_max is not None:
        found.append(Seizure.kg_equivalent <= query.kg_max)
    return found


def _code_conditions(query: SearchQuery) -> list:
    found = []
    for attribute, column in (
        ("location", Seizure.op_place),
        ("region", Seizure.op_region),
        ("category", Seizure.category),
        ("conveyance", Seizure.conveyance),
        ("concealment", Seizure.concealment),
        ("detection", Seizure.detection),
        ("status", Seizure.op_status),
    ):
        value = getattr(query, attribute)
        if value:
            found.append(column == value)
    if query.commodity:
        found.append(Seizure.commodity.in_(query.commodity))
    return found


def _transit_contains(code: str):
    return (" " + Seizure.transit_countries + " ").contains(f" {code} ", autoescape=True)


def _route_conditions(query: SearchQuery) -> list:
    found = []
    if query.origin:
        found.append(Seizure.origin_country == query.origin)
    if query.destination:
        found.append(Seizure.destination_country == query.destination)
    if query.via:
        found.append(
            or_(
                Seizure.origin_country == query.via,
                Seizure.destination_country == query.via,
                _transit_contains(query.via),
            )
        )
    return found


def matching(query: SearchQuery, scope: Scope, backend, *columns, ids: tuple[int, int] | None = None):
    """SELECT columns FROM the seizures this search finds for this reader (with ids in (low, high] if given)."""
    stmt = select(*columns).select_from(Seizure)
    if query.terms:
        stmt = backend.restrict(stmt, list(query.terms), policy.seizure_persons_clause(scope.user), ids)
    if ids:
        stmt = stmt.where(Seizure.id > ids[0], Seizure.id <= ids[1])
    return stmt.where(*conditions(query, scope))
