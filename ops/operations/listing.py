"""The operations list: filters (words, agency, team, period, status), sorting by column, any page.

Everything is one SQL query under policy.visible_operations, so the count, the pages and the
rows agree with what the user may see. The filters come from the query string (a bookmark
keeps them); a bad value is refused with a message and lists nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, or_
from sqlmodel import select
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from ops import policy, seizure_events, vocab
from ops.db import session
from ops.formutil import pairs
from ops.models import Agency, Operation, Seizure, Team, User, local_name_sql
from ops.operations.fields import user_zone

PAGE_SIZE = 25
SEIZURES = (
    select(func.count()).select_from(Seizure).where(Seizure.operation_id == Operation.id).correlate(Operation)
).scalar_subquery()
# column name in the URL -> what it sorts by; "-" in front sorts descending
SORTS = {
    "ref": Operation.ref,
    "title": Operation.title,
    "started": Operation.started_at,
    "place": Operation.place_name,
    "team": Team.code,
    "seizures": SEIZURES,
    "status": Operation.status,
}
DEFAULT_SORT = "-started"


class ListForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    q = StringField(_l("Words in reference, title or place"), validators=[Optional(), Length(max=100)])
    agency = SelectField(_l("Agency"), validators=[Optional()], validate_choice=True)
    team = SelectField(_l("Team"), validators=[Optional()], validate_choice=True)
    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=True)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    sort = SelectField(validators=[Optional()], validate_choice=True)
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100_000)])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


def list_form(args) -> ListForm:
    form = ListForm(args)
    db = session()
    agencies = db.exec(select(Agency.code, local_name_sql(Agency)).order_by(Agency.code)).all()
    teams = db.exec(select(Team.code, local_name_sql(Team)).order_by(Team.code)).all()
    form.agency.choices = pairs([("", _l("Any agency"))] + [(code, name) for code, name in agencies])
    form.team.choices = pairs([("", _l("Any team"))] + [(code, f"{code} — {name}") for code, name in teams])
    form.status.choices = pairs(
        [("", _l("Any status"))] + [(c, vocab.label(vocab.STATUSES, c)) for c in vocab.STATUSES]
    )
    form.sort.choices = [(s, s) for name in SORTS for s in (name, f"-{name}")] + [("", "")]
    return form


@dataclass
class Page:
    rows: list  # (Operation, owner team code, owner agency code, seizure count)
    total: int
    number: int
    sort: str
    size: int = PAGE_SIZE
    also_reported: dict = field(default_factory=dict)  # operation id -> other agencies' names (seizure events)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _id_of(model, code: str):
    return select(model.id).where(model.code == code).scalar_subquery()


def _conditions(user: User, data: dict) -> list:
    conditions = [policy.visible_operations(user)]
    if data.get("q") and data["q"].strip():
        pattern = _like(data["q"].strip())
        columns = (Operation.ref, Operation.title, Operation.place_name)
        conditions.append(or_(*(func.lower(column).like(pattern, escape="\\") for column in columns)))
    # by id, so that the count needs no join (two look-ups per visible record: half its time)
    if data.get("agency"):
        conditions.append(Operation.owner_agency_id == _id_of(Agency, data["agency"]))
    if data.get("team"):
        conditions.append(Operation.owner_team_id == _id_of(Team, data["team"]))
    if data.get("status"):
        conditions.append(Operation.status == data["status"])
    zone = user_zone()  # the days the user means are days where they are
    if data.get("date_from"):
        conditions.append(Operation.started_at >= datetime.combine(data["date_from"], time.min, tzinfo=zone))
    if data.get("date_to"):
        conditions.append(
            Operation.started_at < datetime.combine(data["date_to"], time.min, tzinfo=zone) + timedelta(1)
        )
    return conditions


def operation_page(user: User, data: dict) -> Page:
    db = session()
    conditions = _conditions(user, data)
    total = db.exec(select(func.count()).select_from(Operation).where(*conditions)).one()
    number = min(max(1, data.get("page") or 1), max(1, -(-total // PAGE_SIZE)))
    sort = data.get("sort") or DEFAULT_SORT
    column = SORTS[sort.lstrip("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    rows = db.exec(
        select(Operation, Team.code, Agency.code, SEIZURES)
        .join(Team, Team.id == Operation.owner_team_id)
        .join(Agency, Agency.id == Operation.owner_agency_id)
        .where(*conditions)
        .order_by(order, Operation.id.desc())
        .offset((number - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    also = seizure_events.also_reported_by(db, user, [row[0].id for row in rows])
    return Page(list(rows), total, number, sort, also_reported=also)
