"""The plan's form (its checks are the service's, ops.plans.checks, so that one rule holds everywhere)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from ops import vocab
from ops.formutil import choices
from ops.operations.fields import LocalDateTimeField
from ops.plans.checks import PlanInput


class PlanForm(FlaskForm):
    kind = SelectField(_l("What is planned"), choices=[], validate_choice=False)
    team_id = SelectField(_l("Team"), choices=[], validate_choice=False, coerce=str)
    starts_at = LocalDateTimeField(_l("Starts"), validators=[Optional()])
    ends_at = LocalDateTimeField(_l("Ends"), validators=[Optional()])
    place_code = SelectField(_l("Crossing point (counts as 1 km around it)"), choices=[], validate_choice=False)
    lat = FloatField(_l("Latitude"), validators=[Optional()], render_kw={"step": "any"})
    lon = FloatField(_l("Longitude"), validators=[Optional()], render_kw={"step": "any"})
    radius_km = FloatField(_l("Radius (km)"), validators=[Optional()])
    plates = TextAreaField(_l("Plates (one a line)"))
    documents = TextAreaField(_l("Document numbers (one a line)"))
    phones = TextAreaField(_l("Phone numbers (one a line)"))
    names = TextAreaField(_l("Full names (one a line)"))
    duty_contact = StringField(_l("Duty contact (name and phone)"))
    version = HiddenField()

    def fill_choices(self, teams) -> None:
        self.kind.choices = choices(vocab.PLAN_KINDS, blank=_l("— choose —"))
        self.team_id.choices = [("", _l("— choose —"))] + [(str(t.id), vocab.local_name(t)) for t in teams]
        places = [(p.code, vocab.place_label(p.code)) for p in vocab.PLACES]
        self.place_code.choices = [("", _l("— none: coordinates below, or targets only —"))] + places

    def to_input(self) -> PlanInput:
        team = self.team_id.data
        return PlanInput(
            kind=self.kind.data or "",
            team_id=int(team) if team and team.isdigit() else None,
            starts_at=self.starts_at.data,
            ends_at=self.ends_at.data,
            place_code=self.place_code.data or "",
            lat=self.lat.data,
            lon=self.lon.data,
            radius_km=self.radius_km.data,
            duty_contact=self.duty_contact.data or "",
            targets={
                "plate": _lines(self.plates.data),
                "document": _lines(self.documents.data),
                "phone": _lines(self.phones.data),
                "name": _lines(self.names.data),
            },
        )


def _lines(text: str | None) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


class ButtonForm(FlaskForm):
    version = HiddenField()
