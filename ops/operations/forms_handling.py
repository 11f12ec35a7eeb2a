"""The handling code and grading fields, shared by the operation form, the upload form and the
record page's "Handling code and grading" form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ops import vocab
from ops.formutil import choices
from ops.operations import fields as f
from ops.operations import handling
from ops.operations.schemas import HandlingChoice


class _GradeLabel:
    """An option's label, written in the reader's language when the select is drawn."""

    def __init__(self, code: str):
        self.code = code

    def __str__(self) -> str:
        return vocab.grading_label(self.code)


def grading_choices() -> list[SelectChoice]:
    options = [SelectChoice("", _l("— ungraded —"))]
    for reliability in vocab.SOURCE_RELIABILITY:
        group = str(vocab.label(vocab.SOURCE_RELIABILITY, reliability))
        options += [
            SelectChoice(reliability + a, _GradeLabel(reliability + a), optgroup=group)
            for a in vocab.INFORMATION_ASSESSMENT
        ]
    return options


def handling_code_field():
    return f.CodeSelectField(
        _l("Handling code"),
        choices=choices(vocab.HANDLING_CODES),
        default="H0",
        unknown=_l("Unknown handling code: choose H0, H1, H2 or H3."),
    )


def conditions_field():
    return TextAreaField(_l("Conditions (H3 only)"), description=_l("What readers must do or not do with it."))


def grading_field():
    return f.CodeSelectField(
        _l("Grading (source reliability × information assessment)"),
        choices=grading_choices(),
        default="",
        unknown=_l("Unknown grading: a source reliability A–D or X and an assessment 1–4, e.g. B2."),
        description=_l("Required before submitting when a seizure was detected by intelligence or risk profiling."),
    )


class HandlingForm(FlaskForm):
    """The record page's "Handling code and grading" form (change_handling)."""

    handling_code = handling_code_field()
    handling_conditions = conditions_field()
    grading = grading_field()
    version = HiddenField()

    def handling_choice(self) -> HandlingChoice:
        return HandlingChoice(
            handling_code=self.handling_code.data or "H0",
            handling_conditions=(self.handling_conditions.data or "").strip(),
            grading=self.grading.data or "",
        )

    def check(self, visibility: str) -> bool:
        """The rules that tie the code to the record (H3's text, H2 never for all); errors on the fields."""
        for name, message in handling.problems(self.handling_choice(), visibility).items():
            field = getattr(self, name)
            if message not in field.errors:  # the select's own refusal says the same
                field.errors = [*field.errors, message]
        return not any(getattr(self, name).errors for name in ("handling_code", "handling_conditions", "grading"))
