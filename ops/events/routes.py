"""Seizure-event pages: the steps of a "same seizure" link, and the analysts' queue.

Each step goes back to the record page it was taken from; bad input and a
link changed meanwhile are said there, and nothing is written.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import audit, policy
from ops.db import session
from ops.events import queue, services
from ops.events.blueprint import bp
from ops.events.forms import LinkStepForm, ProposeForm

STEPS = {
    "confirm": services.confirm,
    "different": services.mark_different,
    "unlink": services.unlink,
}
DONE = {
    "propose": lambda: _("Proposed as the same seizure: a supervisor of the other agency confirms it."),
    "confirm": lambda: _("Confirmed: the two reports are one seizure event, counted once."),
    "different": lambda: _("Closed: not the same seizure."),
    "unlink": lambda: _("Unlinked: each report counts on its own again."),
}


def _back(operation_id: int | None):
    if operation_id:
        return redirect(url_for("operations.view", operation_id=operation_id) + "#seizure-events")
    return redirect(url_for("events.queue_page"))


@bp.post("/links/<int:link_id>/<step>")
def link_step(link_id: int, step: str):
    if step not in STEPS and step != "propose":
        abort(404)
    form = LinkStepForm()
    if not form.validate_on_submit():
        flash(_("This button's form was incomplete; reload the page and try again."), "error")
        return _back(form.operation_id.data if isinstance(form.operation_id.data, int) else None)
    db = session()
    link = services.load_link(db, current_user, link_id)
    try:
        if step == "propose":
            if link.version != form.version.data:
                raise services.LinkConflict()
            services.propose(db, current_user, link.seizure_id, link.other_id)
        else:
            STEPS[step](db, current_user, link, form.version.data)
    except services.LinkError as error:
        db.rollback()
        flash(str(error.args[0]), "error")
    except services.LinkConflict:
        db.rollback()
        flash(_("Someone acted on this link since you opened the page; here it is as it is now."), "error")
    else:
        flash(DONE[step](), "success")
    return _back(form.operation_id.data)


@bp.post("/propose")
def propose():
    """Propose a link between a seizure of this record and another seizure the supervisor may read."""
    policy.require(current_user, "link_seizures")
    form = ProposeForm()
    if not form.validate_on_submit():
        flash(_("Give the ids of both seizures, as whole numbers."), "error")
        return _back(form.operation_id.data if isinstance(form.operation_id.data, int) else None)
    db = session()
    try:
        services.propose(db, current_user, form.seizure_id.data, form.other_id.data)
    except services.LinkError as error:
        db.rollback()
        flash(str(error.args[0]), "error")
    else:
        flash(DONE["propose"](), "success")
    return _back(form.operation_id.data)


@bp.get("/queue")
def queue_page():
    policy.require(current_user, "view_duplicate_queue")
    db = session()
    entries = queue.open_entries(db, current_user)
    audit.record(db, "list", user=current_user, object_type="seizurelink", detail={"queue": len(entries)})
    db.commit()
    return render_template("events/queue.html", entries=entries, step_form=LinkStepForm(formdata=None))
