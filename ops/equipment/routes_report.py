"""The programme report (page and XLSX) and the team performance pages: aggregates only, never a record."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ops import clock, policy, vocab
from ops.db import session
from ops.equipment import queries, report, xlsx
from ops.equipment.aggregate import Query, aggregate, aggregate_by_each
from ops.equipment.blueprint import bp
from ops.equipment.forms import PeriodForm, ReportForm
from ops.formutil import pairs
from ops.models import Team
from ops.models_equipment import EquipmentItem


def _period(form: PeriodForm) -> tuple[date, date]:
    """The form's period, or the current calendar year."""
    today = clock.now().date()
    return form.starts_on.data or date(today.year, 1, 1), form.ends_on.data or date(today.year, 12, 31)


def _report_form() -> ReportForm:
    form = ReportForm(request.args)
    form.donor.choices = pairs([("", _("Every donor"))] + [(str(d.id), d.name) for d in queries.donors()])
    form.project.choices = pairs(
        [("", _("Every project"))] + [(str(p.id), f"{p.code} — {p.name}") for p, _donor in queries.projects()]
    )
    return form


def _report_or_400():
    policy.require(current_user, "view_programme_report")
    form = _report_form()
    if not form.validate():
        return form, None
    starts_on, ends_on = _period(form)
    query = report.ReportQuery(starts_on, ends_on, form.donor.data, form.project.data)
    return form, report.build(session(), query)


@bp.get("/report")
def programme_report():
    form, built = _report_or_400()
    if built is not None:
        report.record_read(session(), current_user, built.query, "programme_report_view")
    return render_template("equipment/report.html", form=form, report=built, kinds=vocab.EQUIPMENT_KINDS), (
        400 if built is None else 200
    )


@bp.get("/report.xlsx")
def programme_report_xlsx():
    form, built = _report_or_400()
    if built is None:
        abort(400)
    report.record_read(session(), current_user, built.query, "programme_report_export")
    name = f"programme-report-{built.query.starts_on:%Y%m}-{built.query.ends_on:%Y%m}.xlsx"
    return Response(
        xlsx.workbook(built),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/teams")
def teams():
    policy.require(current_user, "view_team_page")
    rows = [t for t in queries.all_teams() if policy.can(current_user, "view_team_page", t)]
    return render_template("equipment/teams.html", teams=rows)


@bp.get("/teams/<int:team_id>")
def team_page(team_id: int):
    team = session().get(Team, team_id)
    if team is None:
        abort(404)
    policy.require(current_user, "view_team_page", team)
    form = PeriodForm(request.args)
    if not form.validate():
        return render_template("equipment/team.html", team=team, form=form, figures=None), 400
    starts_on, ends_on = _period(form)
    figures = team_figures(team.id, starts_on, ends_on)
    report.record_read(session(), current_user, report.ReportQuery(starts_on, ends_on), "team_page_view")
    return render_template("equipment/team.html", team=team, form=form, figures=figures, kinds=vocab.EQUIPMENT_KINDS)


def team_figures(team_id: int, starts_on: date, ends_on: date) -> dict:
    """The team's page: its cell, by category, by kind of equipment used, by quarter (all through the rule)."""
    db = session()
    period = {"starts_on": starts_on, "ends_on": ends_on, "team_ids": (team_id,)}
    own = aggregate_by_each(db, Query(**period, dimensions=("team", "quarter"), with_total=False))
    return {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "cell": own["team"].cells.get((team_id,)),
        "categories": aggregate(db, Query(**period, dimensions=("category",), with_total=False)).cells,
        "kinds": aggregate(db, Query(**period, dimensions=("kind",), with_total=False)).cells,
        "quarters": sorted(own["quarter"].cells.items()),
        "items": db.execute(
            select(EquipmentItem.kind, EquipmentItem.status).where(EquipmentItem.team_id == team_id)
        ).all(),
    }
