"""The auditors' page and the owning agency's list of outside readers."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ops import policy, vocab
from ops.auditors import present, services
from ops.auditors.blueprint import bp
from ops.auditors.forms import AuditFilterForm
from ops.formutil import pairs

OUTCOMES = ("ok", "failed", "refused", "throttled", "pending_2fa")
# the stored outcome stays a code; auditors read it in their language
OUTCOME_LABELS = {
    "ok": _l("succeeded"),
    "failed": _l("failed"),
    "refused": _l("refused"),
    "throttled": _l("too many attempts"),
    "pending_2fa": _l("awaits the two-factor step"),
}


@bp.get("/")
def events():
    policy.require(current_user, "view_audit")
    form = AuditFilterForm(request.args)
    agencies = [(str(a.id), vocab.local_name(a)) for a in services.agencies()]
    form.agency.choices = pairs([("", _("Any agency"))] + agencies)
    form.outcome.choices = pairs([("", _("Any outcome"))] + [(o, str(OUTCOME_LABELS[o])) for o in OUTCOMES])
    form.action.choices = pairs(
        [("", _("Any action")), (services.REFUSED, _("Any refusal"))] + present.action_choices()
    )
    rows, next_cursor = [], None
    if form.validate():
        rows, next_cursor = services.filtered_events(current_user, form.data)
    status = 400 if form.errors else 200
    return render_template(
        "auditors/events.html",
        form=form,
        rows=present.page(rows, current_user),
        next_cursor=next_cursor,
        agencies=services.agency_names(),
        outcomes=OUTCOME_LABELS,
    ), status


@bp.get("/readers")
def readers():
    policy.require(current_user, "view_readers")
    operation_id = request.args.get("record", type=int)
    rows = services.outside_readers(current_user, operation_id)
    return render_template("auditors/readers.html", rows=rows, operation_id=operation_id)
