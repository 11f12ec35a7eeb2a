"""The record page's "Legal hold" form (policy action legal_hold)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from ops.operations.legal_hold import MAX_REASON


class LegalHoldForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[Length(max=MAX_REASON)],
        description=_l("Required to put the record under a hold: the case, court or request that needs it kept."),
    )

    def reason_for(self, holding: bool) -> str | None:
        """The reason, or None with a message on the field when a hold is set without one."""
        reason = (self.reason.data or "").strip()
        if holding and not reason:
            self.reason.errors = [*self.reason.errors, _l("Say why the record is held.")]
            return None
        return reason
