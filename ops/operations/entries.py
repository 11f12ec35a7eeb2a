"""One row of the operation form: a seizure, a person or a vehicle.

A row left completely empty is not an error: it is skipped (an officer may
add one row too many). Rows are plain WTForms forms inside a FieldList; the
operation form carries the CSRF token for all of them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, HiddenField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from ops import normalize, phones, vocab, wtforms_i18n
from ops.formutil import choices
from ops.operations import fields as f
from ops.operations.schemas import PersonIn, SeizureIn, VehicleIn

NOT_CHOSEN = _l("— choose —")


def _commodity_choices() -> list[SelectChoice]:
    options = [SelectChoice("", NOT_CHOSEN)]
    for item in vocab.COMMODITY_LIST:
        # the script shows the kg equivalent while typing; the server computes the stored one
        attrs = {"data-category": item.category}
        if item.kg_per_litre:
            attrs["data-kg-per-l"] = str(item.kg_per_litre)
        if item.kg_per_tablet:
            attrs["data-kg-per-tablet"] = str(item.kg_per_tablet)
        options.append(
            SelectChoice(item.code, item.label, render_kw=attrs, optgroup=str(vocab.CATEGORIES[item.category]))
        )
    return options


def _unit_choices() -> list[SelectChoice]:
    return [SelectChoice("", NOT_CHOSEN)] + [
        SelectChoice(
            code,
            label,
            render_kw={
                "data-categories": " ".join(cat for cat, units in vocab.UNITS_BY_CATEGORY.items() if code in units)
            },
        )
        for code, label in vocab.UNITS.items()
    ]


def _row_id(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


class Row(Form):
    """Shared by the three kinds of row: blank rows are skipped, not refused."""

    class Meta:
        def get_translations(self, form):  # plain Form: WTForms' messages from our catalogues too
            return wtforms_i18n.translations

    # the id of the stored row this form row edits (named "key": FormField has an `id` of its own)
    key = HiddenField()
    # the fields whose emptiness makes a row blank
    CONTENT: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        return all(not (str(getattr(self, name).data or "").strip()) for name in self.CONTENT)

    def validate(self, extra_validators=None):
        if self.is_blank():
            return True
        return super().validate(extra_validators)

    @property
    def row_id(self) -> int | None:
        return _row_id(self.key.data)


class SeizureEntry(Row):
    CONTENT = (
        "category",
        "commodity",
        "quantity",
        "unit",
        "concealment",
        "concealment_detail",
        "conveyance",
        "detection",
        "origin_country",
        "transit_countries",
        "destination_country",
    )
    category = f.CodeSelectField(
        _l("Category"), choices=choices(vocab.CATEGORIES, blank=NOT_CHOSEN), unknown=_l("Unknown category.")
    )
    commodity = f.CodeSelectField(
        _l("Commodity"), validators=[f.MarkedRequired()], choices=_commodity_choices, unknown=_l("Unknown commodity.")
    )
    quantity = StringField(
        _l("Quantity"), validators=[f.MarkedRequired()], render_kw={"inputmode": "decimal", "autocomplete": "off"}
    )
    unit = f.CodeSelectField(
        _l("Unit"), validators=[f.MarkedRequired()], choices=_unit_choices(), unknown=_l("Unknown unit.")
    )
    concealment = f.CodeSelectField(
        _l("Concealment"),
        validators=[f.MarkedRequired()],
        choices=choices(vocab.CONCEALMENTS, blank=NOT_CHOSEN),
        unknown=_l("Unknown concealment method."),
    )
    concealment_detail = StringField(_l("Concealment, in words"), validators=[Length(max=200)])
    conveyance = f.CodeSelectField(
        _l("Conveyance"),
        validators=[f.MarkedRequired()],
        choices=choices(vocab.CONVEYANCES, blank=NOT_CHOSEN),
        unknown=_l("Unknown conveyance."),
    )
    detection = f.CodeSelectField(
        _l("Detected by"),
        validators=[f.MarkedRequired()],
        choices=choices(vocab.DETECTION_METHODS, blank=NOT_CHOSEN),
        unknown=_l("Unknown detection method."),
    )
    origin_country = f.CountryField(_l("Country of origin"))
    transit_countries = StringField(
        _l("Transit countries"),
        validators=[Length(max=200)],
        description=_l("Codes or names, separated by commas: TJ, KZ"),
    )
    destination_country = f.CountryField(_l("Destination"))

    def validate_category(self, field):
        if not field.data and not self.commodity.data:
            raise ValidationError(_("Choose a category."))

    def validate_commodity(self, field):
        if not field.data:
            raise ValidationError(_("Choose what was seized."))
        item = vocab.COMMODITIES.get(field.data)
        if item and self.category.data in vocab.CATEGORIES and item.category != self.category.data:
            raise ValidationError(
                _(
                    "%(commodity)s is not in the category %(category)s.",
                    commodity=item.label,
                    category=vocab.label(vocab.CATEGORIES, self.category.data),
                )
            )

    def validate_unit(self, field):
        if not field.data:
            raise ValidationError(_("Choose a unit."))
        category = self.category_code()
        if category in vocab.UNITS_BY_CATEGORY and field.data not in vocab.UNITS_BY_CATEGORY[category]:
            allowed = ", ".join(vocab.label(vocab.UNITS, u) for u in vocab.UNITS_BY_CATEGORY[category])
            raise ValidationError(
                _(
                    "%(category)s are counted in: %(allowed)s.",
                    category=vocab.label(vocab.CATEGORIES, category),
                    allowed=allowed,
                )
            )

    def validate_quantity(self, field):
        f.parse_quantity(field.data, self.unit.data)

    def validate_concealment(self, field):
        if not field.data:
            raise ValidationError(_("Choose how it was hidden (or “Not concealed”)."))

    def validate_conveyance(self, field):
        if not field.data:
            raise ValidationError(_("Choose how it travelled."))

    def validate_detection(self, field):
        if not field.data:
            raise ValidationError(_("Choose how it was found."))

    def validate_origin_country(self, field):
        f.parse_country(field.data)

    def validate_destination_country(self, field):
        f.parse_country(field.data)

    def validate_transit_countries(self, field):
        f.parse_transit(field.data)

    def category_code(self) -> str | None:
        """The category chosen, or the commodity's own when only a commodity was picked."""
        if self.category.data:
            return self.category.data
        item = vocab.COMMODITIES.get(self.commodity.data or "")
        return item.category if item else None

    def to_input(self) -> SeizureIn:
        return SeizureIn(
            id=self.row_id,
            category=self.category_code(),
            commodity=self.commodity.data,
            quantity=f.parse_quantity(self.quantity.data, self.unit.data),
            unit=self.unit.data,
            concealment=self.concealment.data,
            concealment_detail=(self.concealment_detail.data or "").strip(),
            conveyance=self.conveyance.data,
            detection=self.detection.data,
            origin_country=f.parse_country(self.origin_country.data),
            transit_countries=f.parse_transit(self.transit_countries.data),
            destination_country=f.parse_country(self.destination_country.data),
        )


def seizure_link_choices(count: int) -> list[SelectChoice]:
    """ "— none —", then the seizure rows by number."""
    return [SelectChoice("", _l("— none —"))] + [
        SelectChoice(str(n), _("Seizure %(n)s", n=n)) for n in range(1, max(count, 0) + 1)
    ]


class LinkedRow(Row):
    seizure_row = f.CodeSelectField(
        _l("Linked to seizure"),
        choices=seizure_link_choices(0),
        unknown=_l("There is no seizure with this number on the form."),
    )

    def linked_row(self) -> int | None:
        return int(self.seizure_row.data) if self.seizure_row.data else None


class PersonEntry(LinkedRow):
    CONTENT = ("full_name", "birth_date", "nationality", "document_type", "document_number", "phones", "role")
    full_name = StringField(
        _l("Full name"), validators=[f.MarkedRequired(), Length(max=160)], render_kw={"autocomplete": "off"}
    )
    birth_date = f.BirthDateField(_l("Birth date"), validators=[Optional()])
    nationality = f.CountryField(_l("Nationality"))
    document_type = f.CodeSelectField(
        _l("Document"), choices=choices(vocab.DOCUMENT_TYPES, blank=NOT_CHOSEN), unknown=_l("Unknown document type.")
    )
    document_number = StringField(
        _l("Document number"), validators=[Length(max=40)], render_kw={"autocomplete": "off", "spellcheck": "false"}
    )
    phones = StringField(
        _l("Phone numbers"),
        description=_l("Several numbers separated by commas; without a country code a number is taken as Uzbek."),
        render_kw={"autocomplete": "off", "spellcheck": "false", "inputmode": "tel"},
    )
    role = f.CodeSelectField(
        _l("Role"),
        validators=[f.MarkedRequired()],
        choices=choices(vocab.PERSON_ROLES, blank=NOT_CHOSEN),
        unknown=_l("Unknown role."),
    )
    arrested = BooleanField(_l("Arrested"))

    def validate_full_name(self, field):
        if not normalize.name(field.data):
            raise ValidationError(_("Enter the person's name."))

    def validate_birth_date(self, field):
        f.check_birth_date(field.data)

    def validate_nationality(self, field):
        f.parse_country(field.data)

    def validate_document_number(self, field):
        if field.data and field.data.strip() and not normalize.identifier(field.data):
            raise ValidationError(_("A document number needs letters or digits."))
        if field.data and field.data.strip() and not self.document_type.data:
            raise ValidationError(_("Choose the type of document too."))

    def validate_phones(self, field):
        numbers, bad = phones.parse(field.data)
        if bad:
            raise ValidationError(_("Not a phone number: %(typed)s.", typed=bad[0][: phones.MAX_TYPED]))
        if len(numbers) > phones.MAX_PER_PERSON:
            raise ValidationError(_("At most %(count)d phone numbers per person.", count=phones.MAX_PER_PERSON))

    def validate_role(self, field):
        if not field.data:
            raise ValidationError(_("Choose the person's role."))

    def to_input(self) -> PersonIn:
        number = (self.document_number.data or "").strip()
        return PersonIn(
            id=self.row_id,
            full_name=" ".join(self.full_name.data.split()),
            birth_date=self.birth_date.data,
            nationality=f.parse_country(self.nationality.data),
            document_type=self.document_type.data or None,
            document_number=number or None,
            phones=" ".join(phones.parse(self.phones.data)[0]),
            role=self.role.data,
            arrested=bool(self.arrested.data),
            seizure_row=self.linked_row(),
        )


class VehicleEntry(LinkedRow):
    CONTENT = ("plate", "country", "make_model", "vehicle_type")
    plate = StringField(
        _l("Plate"),
        validators=[f.MarkedRequired(), Length(max=32)],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
    country = f.CountryField(_l("Country of registration"))
    make_model = StringField(_l("Make and model"), validators=[Length(max=80)])
    vehicle_type = f.CodeSelectField(
        _l("Type"),
        validators=[f.MarkedRequired()],
        choices=choices(vocab.VEHICLE_TYPES, blank=NOT_CHOSEN),
        unknown=_l("Unknown vehicle type."),
    )

    def validate_plate(self, field):
        if not normalize.identifier(field.data):
            raise ValidationError(_("Enter the plate number."))

    def validate_country(self, field):
        f.parse_country(field.data)

    def validate_vehicle_type(self, field):
        if not field.data:
            raise ValidationError(_("Choose the type of vehicle."))

    def to_input(self) -> VehicleIn:
        return VehicleIn(
            id=self.row_id,
            plate=" ".join(self.plate.data.split()),
            country=f.parse_country(self.country.data),
            make_model=(self.make_model.data or "").strip(),
            vehicle_type=self.vehicle_type.data,
            seizure_row=self.linked_row(),
        )
