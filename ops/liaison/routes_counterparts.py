"""Counterpart pairs kept by system administrators, from a foreign partner office's page in the admin area."""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from ops import policy
from ops.db import session
from ops.liaison import services
from ops.liaison.blueprint import bp
from ops.liaison.forms import CounterpartForm
from ops.models import Agency


@bp.app_context_processor
def _counterparts_admin():
    def counterparts_admin(partner: Agency) -> SimpleNamespace:
        db = session()
        linked = services.national_counterparts_of(db, partner.id)
        taken = {a.id for a in linked}
        candidates = db.execute(
            select(Agency).where(Agency.is_foreign_partner.is_(False), Agency.is_programme.is_(False))
        ).scalars()
        form = CounterpartForm()
        form.offer([a for a in candidates if a.id not in taken])
        return SimpleNamespace(linked=linked, form=form)

    return {"counterparts_admin": counterparts_admin}


def _partner(agency_id: int) -> Agency:
    policy.require(current_user, "manage_orgs")
    partner = session().get(Agency, agency_id)
    if partner is None or not partner.is_foreign_partner:
        abort(404)
    return partner


@bp.post("/counterparts/<int:agency_id>")
def link_counterpart(agency_id: int):
    partner, db = _partner(agency_id), session()
    form = CounterpartForm()
    national = db.get(Agency, form.national.data) if form.validate_on_submit() and form.national.data else None
    if national is None:
        abort(400)
    try:
        services.link_counterparts(db, national, partner, current_user)
    except services.LiaisonError as error:
        db.rollback()
        flash(error.message, "error")
    return redirect(url_for("admin.agency_edit", agency_id=agency_id) + "#counterparts")


@bp.post("/counterparts/<int:agency_id>/remove/<int:national_id>")
def unlink_counterpart(agency_id: int, national_id: int):
    partner, db = _partner(agency_id), session()
    national = db.get(Agency, national_id) or abort(404)
    try:
        services.unlink_counterparts(db, national, partner, current_user)
    except services.LiaisonError as error:
        db.rollback()
        flash(error.message, "error")
    return redirect(url_for("admin.agency_edit", agency_id=agency_id) + "#counterparts")
