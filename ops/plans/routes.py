"""Plan pages: the list, enter, show, change, cancel, the conflict log; conflicts are told as who to call."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ops import policy
from ops.db import session
from ops.models import Team
from ops.models_plans import Plan, PlanConflict
from ops.operations import pages as operation_pages
from ops.operations import services as operation_services
from ops.operations.forms import CreateForm
from ops.plans import report as report_form
from ops.plans import services
from ops.plans.blueprint import bp
from ops.plans.forms import ButtonForm, PlanForm


def _teams(plan: Plan | None = None):
    ids = set(policy.team_ids(current_user)) | ({plan.owner_team_id} if plan else set())
    return list(session().execute(select(Team).where(Team.id.in_(ids)).order_by(Team.name)).scalars())


def _load(plan_id: int, action: str = "view_plan") -> Plan:
    return policy.load(session(), Plan, plan_id, current_user, action)


@bp.get("")
def index():
    policy.require(current_user, "view_plan")
    plans = services.mine(session(), current_user)
    return render_template("plans/index.html", plans=plans, may_plan=policy.can(current_user, "plan"))


@bp.route("/new", methods=["GET", "POST"])
def new():
    policy.require(current_user, "plan")
    form = PlanForm()
    form.fill_choices(_teams())
    if request.method == "GET" or not form.validate_on_submit():
        return _form(form, None, 200 if request.method == "GET" else 400)
    try:
        saved = services.create(session(), current_user, form.to_input())
    except services.Refused as refused:
        return _form(form, None, 400, refused.errors)
    _tell(saved.notices)
    return redirect(url_for("plans.show", plan_id=saved.plan.id))


def _form(form, plan, status, errors=()):
    for error in errors:
        flash(error, "error")
    return render_template("plans/form.html", form=form, plan=plan), status


def _tell(notices) -> None:
    """The saver hears "no conflict", or who to call for each conflict: never the other plan's content."""
    if not notices:
        flash(_("No conflict with any other plan."), "success")
    for notice in notices:
        if notice.team:
            flash(
                _(
                    "Conflict with a plan of team %(team)s of your agency: contact their duty officer %(contact)s.",
                    team=notice.team,
                    contact=notice.contact,
                ),
                "error",
            )
        else:
            flash(
                _(
                    "Conflict with a plan of %(agency)s: contact their duty officer %(contact)s.",
                    agency=notice.agency,
                    contact=notice.contact,
                ),
                "error",
            )


@bp.get("/<int:plan_id>")
def show(plan_id: int):
    services.close_expired(session(), current_user)
    plan = _load(plan_id)
    db = session()
    services.read(db, current_user, plan)
    return render_template(
        "plans/show.html",
        plan=plan,
        targets=services.targets(db, plan),
        log=services.log_for(db, current_user, plan),
        button=ButtonForm(formdata=None, version=plan.version),
        may_report=policy.can(current_user, "create") and plan.owner_team_id in policy.team_ids(current_user),
    )


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
def edit(plan_id: int):
    services.close_expired(session(), current_user)
    plan = _load(plan_id, "edit_plan")
    form = PlanForm() if request.method == "POST" else _filled(plan)
    form.fill_choices(_teams(plan))
    if request.method == "GET" or not form.validate_on_submit():
        return _form(form, plan, 200 if request.method == "GET" else 400)
    try:
        saved = services.update_plan(session(), current_user, plan, form.to_input(), _version(form.version.data))
    except services.Refused as refused:
        return _form(form, plan, 400, refused.errors)
    except services.Stale:
        return _form(form, plan, 409, [_("Someone else changed this plan meanwhile: reload it and save again.")])
    _tell(saved.notices)
    return redirect(url_for("plans.show", plan_id=plan.id))


def _version(text: str | None) -> int:
    return int(text) if (text or "").isdigit() else -1


def _filled(plan: Plan) -> PlanForm:
    by_kind: dict[str, list[str]] = {}
    for target in services.targets(session(), plan):
        by_kind.setdefault(target.kind, []).append(target.typed)
    form = PlanForm(
        formdata=None,
        kind=plan.kind,
        team_id=str(plan.owner_team_id),
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        place_code=plan.place_code or "",
        lat=None if plan.place_code else plan.lat,
        lon=None if plan.place_code else plan.lon,
        radius_km=None if plan.place_code else plan.radius_km,
        duty_contact=plan.duty_contact,
        version=str(plan.version),
    )
    for field, kind in (("plates", "plate"), ("documents", "document"), ("phones", "phone"), ("names", "name")):
        getattr(form, field).data = "\n".join(by_kind.get(kind, []))
    return form


@bp.post("/<int:plan_id>/cancel")
def cancel(plan_id: int):
    plan = _load(plan_id, "edit_plan")
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.cancel(session(), current_user, plan, _version(form.version.data))
    except services.Stale:
        flash(_("Someone else changed this plan meanwhile: reload it and try again."), "error")
        return redirect(url_for("plans.show", plan_id=plan_id)), 303
    flash(_("The plan is cancelled; it stays in the log."), "success")
    return redirect(url_for("plans.show", plan_id=plan_id))


@bp.get("/conflicts")
def conflicts():
    policy.require(current_user, "view_plan")
    return render_template("plans/conflicts.html", log=services.log_for(session(), current_user), button=ButtonForm())


@bp.post("/conflicts/<int:conflict_id>/plans/<int:plan_id>/resolve")
def resolve(conflict_id: int, plan_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    plan = _load(plan_id, "resolve_plan_conflict")
    conflict = session().get(PlanConflict, conflict_id)
    if conflict is None or plan.id not in (conflict.plan_a_id, conflict.plan_b_id):
        abort(404)
    services.resolve(session(), current_user, conflict, plan)
    flash(_("Marked resolved on your side."), "success")
    return redirect(url_for("plans.conflicts"))


@bp.get("/<int:plan_id>/report")
def report(plan_id: int):
    """ "Report on this plan": the operation form, filled from the plan, posting to the operation form's route."""
    policy.require(current_user, "create")
    plan = _load(plan_id)
    db = session()
    own_teams = operation_services.user_teams(current_user, policy.team_ids(current_user))
    if plan.owner_team_id not in {t.id for t in own_teams}:
        abort(404)  # a supervisor or another team reads the plan, but reports are their team's
    services.read(db, current_user, plan)
    agencies, teams = operation_services.reference_data()
    form = CreateForm(formdata=report_form.formdata(plan, services.targets(db, plan), current_user.agency_id))
    form.set_choices(agencies, teams, own_teams, current_user.agency_id)
    operation_pages.offer_equipment(form, current_user.agency_id, [t.id for t in own_teams])
    return operation_pages.render_form(form, "create", own_teams=own_teams, form_action=url_for("operations.new"))
