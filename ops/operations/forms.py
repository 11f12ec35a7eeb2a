"""The operation form (create, edit, amend) and the small forms of the record page.

Each form lists its fields explicitly and hands the services a data shape
(ops.operations.schemas) built from those fields only.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ops import vocab
from ops.formutil import choices, pairs
from ops.operations import fields as f
from ops.operations.entries import PersonEntry, SeizureEntry, VehicleEntry, seizure_link_choices
from ops.operations.forms_handling import (
    HandlingForm,
    conditions_field,
    grading_choices,
    grading_field,
    handling_code_field,
)
from ops.operations.schemas import OperationContent, OperationInput, VisibilityChoice

MAX_DURATION = timedelta(days=31)
MAX_ROWS = 100


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _place_choices() -> list[SelectChoice]:
    options = [SelectChoice("", _l("— another place (type it below) —"))]
    labelled = [(vocab.region_label(p.region), vocab.place_label(p.code), p.code) for p in vocab.PLACES]
    for region, name, code in sorted(labelled):
        options.append(SelectChoice(code, name, optgroup=region))
    return options


class OperationForm(FlaskForm):
    """Fields common to creating, editing and amending."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the operation a short title.")), Length(max=200)],
        description=_l("e.g. Heroin in a fuel tank, Ayritom, night shift"),
    )
    op_type = f.CodeSelectField(
        _l("Type of operation"),
        choices=choices(vocab.OPERATION_TYPES, blank=_l("— choose —")),
        validators=[DataRequired(_l("Choose the type of operation."))],
        unknown=_l("Unknown type of operation."),
    )
    started_at = f.LocalDateTimeField(_l("Started"), validators=[InputRequired(_l("Enter when it started."))])
    ended_at = f.LocalDateTimeField(_l("Ended"), validators=[Optional()])
    place_code = f.CodeSelectField(
        _l("Border crossing point or place"),
        choices=_place_choices,
        unknown=_l("Unknown place; pick one from the list or type its name."),
    )
    place_name = StringField(_l("Other place: name"), validators=[Length(max=160)])
    region = StringField(_l("Region"), validators=[Length(max=80)])
    lat = StringField(_l("Latitude"), render_kw={"inputmode": "decimal", "placeholder": "37.2317"})
    lon = StringField(_l("Longitude"), render_kw={"inputmode": "decimal", "placeholder": "67.4275"})
    lead_team_id = f.CodeSelectField(_l("Lead team"), coerce=int, choices=[], unknown=_l("Unknown team."))
    participants = CheckboxesField(
        _l("Participating agencies"),
        coerce=int,
        choices=[],
        invalid_choice_message=_l("Unknown agency."),
        description=_l("Your own agency always takes part."),
    )
    equipment = CheckboxesField(
        _l("Equipment used"),
        coerce=int,
        choices=[],
        invalid_choice_message=_l("Unknown item of equipment."),
        description=_l("Items of the programme's equipment used in this operation."),
    )
    narrative = TextAreaField(
        _l("What happened"),
        validators=[Length(max=vocab.NARRATIVE_MAX_LENGTH)],
        description=_l("Who did what, in order. Persons and seizures go in their own rows."),
    )
    seizures = FieldList(FormField(SeizureEntry), min_entries=1, max_entries=MAX_ROWS)
    persons = FieldList(FormField(PersonEntry), max_entries=MAX_ROWS)
    vehicles = FieldList(FormField(VehicleEntry), max_entries=MAX_ROWS)

    def set_choices(self, agencies, teams) -> None:
        """Agencies and teams come from the database; the route reads them."""
        self.participants.choices = pairs((a.id, vocab.local_name(a)) for a in agencies)
        self.lead_team_id.choices = pairs((t.id, f"{t.code} — {vocab.local_name(t)}") for t in teams)
        self.refresh_links()

    def set_equipment(self, candidates, owner_agency_id: int) -> None:
        """The items the form offers (ops.operations.used_equipment.candidates) and whose each one is."""
        self.equipment.choices = pairs((c.id, c.label) for c in candidates)
        self._equipment_agency = {c.id: c.agency_id for c in candidates}
        self._owner_agency_id = owner_agency_id
        self._equipment_groups = [(c.agency, c.agency_id) for c in candidates]

    def equipment_by_agency(self) -> list[tuple[str, bool, list]]:
        """The form's equipment checkboxes by agency, the owning agency's first: (its name, whether to show
        it open, its checkboxes). A group is open for the owning agency and wherever an item is ticked; the
        rest fold, so a joint team's hundred items do not fill the form."""
        groups: dict[int, tuple[str, list]] = {}
        for (agency, agency_id), box in zip(self._equipment_groups, self.equipment, strict=True):
            groups.setdefault(agency_id, (agency, []))[1].append(box)
        owner = self._owner_agency_id
        return [
            (agency, agency_id == owner or any(box.checked for box in boxes), boxes)
            for agency_id, (agency, boxes) in sorted(groups.items(), key=lambda group: group[0] != owner)
        ]

    def validate_equipment(self, field):
        # the owning agency always takes part in its own operation
        taking_part = set(self.participants.data or []) | {getattr(self, "_owner_agency_id", None)}
        owners = getattr(self, "_equipment_agency", {})
        for item_id in field.data or []:
            if owners.get(item_id) not in taking_part:
                label = dict((c.value, c.label) for c in field.choices).get(item_id, item_id)
                raise ValidationError(
                    _("%(item)s belongs to an agency that takes no part in this operation.", item=label)
                )

    def refresh_links(self) -> None:
        """Persons and vehicles link to seizures by row number: one option per seizure row."""
        options = seizure_link_choices(len(self.seizures.entries))
        for entry in [*self.persons.entries, *self.vehicles.entries]:
            entry.form.seizure_row.choices = options

    # --- checks across fields ------------------------------------------------------

    def validate_started_at(self, field):
        f.check_past(field.data)

    def validate_ended_at(self, field):
        f.check_past(field.data)
        start = self.started_at.data
        if field.data and start:
            if field.data < start:
                raise ValidationError(_("The end is before the start."))
            if field.data - start > MAX_DURATION:
                raise ValidationError(_("Longer than 31 days: check the dates, or record separate operations."))

    def validate_place_name(self, field):
        typed = (field.data or "").strip()
        if not self.place_code.data and not typed:
            raise ValidationError(_("Pick a place from the list above or type its name here."))
        if self.place_code.data and typed:
            raise ValidationError(_("You picked a place from the list and typed another one. Keep one of them."))

    def validate_lat(self, field):
        value = f.parse_coordinate(field.data, 90, _("Latitude"))
        if (value is None) != (f.parse_coordinate(self.lon.data, 180, _("Longitude")) is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    def validate_lon(self, field):
        f.parse_coordinate(field.data, 180, _("Longitude"))

    def validate_seizures(self, field):
        if len(field.entries) > MAX_ROWS:
            raise ValidationError(_("At most %(n)s rows.", n=MAX_ROWS))

    def validate_persons(self, field):
        self._check_links(field)

    def validate_vehicles(self, field):
        self._check_links(field)

    def _check_links(self, rows) -> None:
        seizure_rows = self.seizures.entries
        for entry in rows.entries:
            row = entry.form
            number = row.linked_row() if not row.is_blank() and not row.seizure_row.errors else None
            if number and seizure_rows[number - 1].form.is_blank():
                row.seizure_row.errors.append(_("Seizure %(n)s is empty.", n=number))
                raise ValidationError(_("A row is linked to an empty seizure."))

    # --- the data handed to the services ---------------------------------------------

    def content(self) -> OperationContent:
        place = vocab.PLACES_BY_CODE.get(self.place_code.data or "")
        if place is not None:
            where = {
                "place_code": place.code,
                "place_name": place.name,
                "region": place.region,
                "lat": place.lat,
                "lon": place.lon,
            }
        else:
            where = {
                "place_code": None,
                "place_name": " ".join(self.place_name.data.split()),
                "region": (self.region.data or "").strip(),
                "lat": f.parse_coordinate(self.lat.data, 90, ""),
                "lon": f.parse_coordinate(self.lon.data, 180, ""),
            }
        return OperationContent(
            title=self.title.data.strip(),
            op_type=self.op_type.data,
            started_at=self.started_at.data,
            ended_at=self.ended_at.data,
            lead_team_id=self.lead_team_id.data,
            narrative=(self.narrative.data or "").strip(),
            participant_ids=list(self.participants.data or []),
            equipment_ids=list(self.equipment.data or []),
            **where,
        )

    def to_input(self) -> OperationInput:
        def rows(field):
            return [entry.form for entry in field.entries if not entry.form.is_blank()]

        seizure_numbers = {}  # form row number -> position among the seizures kept
        for number, entry in enumerate(self.seizures.entries, start=1):
            if not entry.form.is_blank():
                seizure_numbers[number] = len(seizure_numbers) + 1
        persons = [row.to_input() for row in rows(self.persons)]
        vehicles = [row.to_input() for row in rows(self.vehicles)]
        for item in [*persons, *vehicles]:
            item.seizure_row = seizure_numbers.get(item.seizure_row) if item.seizure_row else None
        return OperationInput(
            content=self.content(),
            seizures=[row.to_input() for row in rows(self.seizures)],
            persons=persons,
            vehicles=vehicles,
        )


def _persons_agencies_field():
    return CheckboxesField(
        _l("Agencies that get the persons' identities"),
        coerce=int,
        choices=[],
        invalid_choice_message=_l("Unknown agency."),
        description=_l(
            "Partner agencies: tick those of the partner agencies that get names, birth dates and documents. "
            "Own agency or all agencies: the agencies that get them although they are not for all readers."
        ),
    )


def _visibility_field(**kwargs):
    return RadioField(
        _l("Who may read it once approved"),
        choices=choices(vocab.VISIBILITIES),
        invalid_choice_message=_l("Unknown visibility."),
        **kwargs,
    )


def _share_agencies_field():
    return CheckboxesField(
        _l("Partner agencies"),
        coerce=int,
        choices=[],
        invalid_choice_message=_l("Unknown agency."),
        description=_l("Leave all unticked to share with the participating agencies."),
    )


def _share_persons_field():
    return BooleanField(
        _l("Identities to all readers"),
        description=_l("For records of the own agency or of all agencies; partner agencies are chosen one by one."),
    )


class CreateForm(OperationForm):
    owner_team_id = f.CodeSelectField(
        _l("Your team"), coerce=int, choices=[], unknown=_l("You are not a member of this team.")
    )
    visibility = _visibility_field(default="partners")
    share_agencies = _share_agencies_field()
    share_persons = _share_persons_field()
    persons_agencies = _persons_agencies_field()
    handling_code = handling_code_field()
    handling_conditions = conditions_field()
    grading = grading_field()

    handling_choice = HandlingForm.handling_choice
    check_handling = HandlingForm.check

    def set_choices(self, agencies, teams, own_teams=(), own_agency_id=None) -> None:
        super().set_choices(agencies, teams)
        others = pairs((a.id, vocab.local_name(a)) for a in agencies if a.id != own_agency_id)
        self.share_agencies.choices = self.persons_agencies.choices = others
        self.owner_team_id.choices = pairs((t.id, f"{t.code} — {vocab.local_name(t)}") for t in own_teams)

    def visibility_choice(self) -> VisibilityChoice:
        return VisibilityChoice(
            visibility=self.visibility.data,
            share_persons=bool(self.share_persons.data),
            share_agency_ids=list(self.share_agencies.data or []),
            persons_agency_ids=list(self.persons_agencies.data or []),
        )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self.check_handling(self.visibility.data) and valid


class EditForm(OperationForm):
    # the version the user started from: the database refuses a save over a newer one
    version = HiddenField()
    opened_at = HiddenField()

    def expected_version(self) -> int:
        return int(self.version.data) if (self.version.data or "").isdigit() else 0

    def opened(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.opened_at.data or "").astimezone(UTC)
        except ValueError:
            return None


class AmendForm(EditForm):
    reason = TextAreaField(
        _l("Reason for the amendment"),
        validators=[DataRequired(_l("Say why the approved record is changed.")), Length(min=5, max=2000)],
        description=_l("Shown in the record's history with every change."),
    )


class VisibilityForm(FlaskForm):
    visibility = _visibility_field()
    share_agencies = _share_agencies_field()
    share_persons = _share_persons_field()
    persons_agencies = _persons_agencies_field()
    version = HiddenField()

    visibility_choice = CreateForm.visibility_choice


class VersionedActionForm(FlaskForm):
    """A button-only action (submit, approve): carries the version the user looked at."""

    version = IntegerField(validators=[InputRequired()], widget=widgets.HiddenInput())


class ReviewForm(VersionedActionForm):
    comment = TextAreaField(
        _l("Comment to the team lead"),
        validators=[Length(max=4000)],
        description=_l("Required when returning: say what to fix."),
    )

    def returning_comment(self) -> str:
        text = (self.comment.data or "").strip()
        if not text:
            self.comment.errors = [*self.comment.errors, _("Say what the team lead should fix.")]
        return text


class UploadForm(FlaskForm):
    """The files are read from request.files and checked by ops.operations.attachments; the form carries
    their handling code and grading when they differ from the record's (blank: as the record)."""

    handling_code = f.CodeSelectField(
        _l("Handling code of these files"),
        choices=choices(vocab.HANDLING_CODES, blank=_l("— as the record —")),
        default="",
        unknown=_l("Unknown handling code: choose H0, H1, H2 or H3."),
    )
    grading = f.CodeSelectField(
        _l("Grading of these files"),
        choices=[SelectChoice("", _l("— as the record —")), *grading_choices()[1:]],
        default="",
        unknown=_l("Unknown grading: a source reliability A–D or X and an assessment 1–4, e.g. B2."),
    )

    def codes(self) -> dict:
        return {"handling_code": self.handling_code.data or None, "grading": self.grading.data or None}
