"""Search pages: parse the URL, call a service, render. Every page here needs the "search" action."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import policy
from ops.db import read_session, session
from ops.hits import services as hits
from ops.search import annual, exports, present, saved, services
from ops.search.blueprint import bp
from ops.search.dashboard import charts
from ops.search.forms import LookupForm, SavedSearchForm
from ops.search.map import payload as map_payload
from ops.search.sql import backends

EXPORT_FORMATS = {"csv", "xlsx", "unodc"}


@bp.before_request
def _may_search():
    policy.require(current_user, "search")


@bp.context_processor
def _helpers():
    return present.helpers()


def _page(template: str, outcome, **context):
    options = present.form_options(outcome.scope, request.args.get("location", ""))
    status = 400 if outcome.errors else 200
    return render_template(
        template, outcome=outcome, q=outcome.query, form_options=options, form_fields=present.FORM_FIELDS, **context
    ), status


@bp.get("")
def search_page():
    may_export = policy.can(current_user, "export")
    outcome = services.run(session(), current_user, request.args, reads=read_session(), left_out=may_export)
    landing = [] if outcome.searched or outcome.errors else saved.list_with_news(session(), current_user)
    left_out = 0
    if outcome.searched and may_export:
        left_out = outcome.facets.left_out if outcome.facets and outcome.facets.left_out is not None else None
        if left_out is None:  # filters alone: the facets' pass did not count it
            reads = read_session()
            left_out = exports.left_out(reads, outcome.query, outcome.scope, backends.for_session(reads))
    return _page(
        "search/search.html",
        outcome,
        export_left_out=left_out,
        saved_searches=landing,
        save_form=SavedSearchForm(),
        lookup_form=LookupForm(formdata=None),
        # words that are one identifier: offer the lookup, where a purpose comes before any hit
        identifier_typed=_identifier_typed(request.args.get("q")),
    )


def _identifier_typed(words: str | None) -> str:
    typed = (words or "").strip()
    if not typed or not policy.can(current_user, "look_up_elsewhere") or not hits.is_identifier(typed):
        return ""
    return typed


@bp.get("/dashboard")
def dashboard():
    outcome, board = services.dashboard(session(), current_user, request.args, reads=read_session())
    found = services.dashboard_map(board) if board else None
    return _page(
        "search/dashboard.html",
        outcome,
        board=board,
        charts=charts.charts(board) if board else None,
        found=found,
        map_data=map_payload.payload(found, outcome.query) if found else None,
    )


@bp.get("/dashboard/teams")
def dashboard_teams():
    outcome, axis = services.dashboard_teams(session(), current_user, request.args, reads=read_session())
    return _page("search/dashboard_teams.html", outcome, team_axis=axis)


@bp.get("/map")
def map_page():
    outcome, found = services.map_of(session(), current_user, request.args, reads=read_session())
    data = map_payload.payload(found, outcome.query) if found else None
    return _page("search/map.html", outcome, found=found, map_data=data)


@bp.get("/export/<fmt>")
def export(fmt: str):
    policy.require(current_user, "export")
    if fmt not in EXPORT_FORMATS:
        return redirect(url_for("search.search_page"))
    db = session()
    start = services.start_export(db, current_user, request.args, fmt, reads=read_session())
    if not start.ready:
        flash(_("Nothing was exported: correct the search first."), "error")
        return redirect(url_for("search.search_page") + "?" + request.query_string.decode("utf-8", "replace"))
    return _export_response(read_session(), fmt, start.query, start.scope, start.left_out)


def _export_response(reads, fmt: str, query, scope, left_out: int):
    stamp = exports.filename_stamp(scope)
    if fmt == "csv":
        return exports.csv_response(query, scope, f"seizures-{stamp}.csv", left_out)
    rows = exports.export_rows(reads, query, scope, backends.for_session(reads), drugs_only=fmt == "unodc")
    if fmt == "unodc":  # the sheet's format is fixed: no columns of ours, the note on a sheet of its own
        handle = exports.unodc_file(rows, scope, exports.reporting_country(), left_out_count=left_out)
        name = f"unodc-ids-{stamp}.xlsx"
    else:
        handle, name = exports.xlsx_file(rows, scope, left_out_count=left_out), f"seizures-{stamp}.xlsx"
    return Response(
        exports.file_chunks(handle),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"', exports.LEFT_OUT_HEADER: str(left_out)},
    )


@bp.get("/annual")
def annual_page():
    """Seizure events and kg-equivalent per drug and year, counted once (UNODC's annual questionnaire)."""
    try:
        table = services.annual_totals(session(), current_user, request.args)
    except annual.YearsError as error:
        return render_template("search/annual.html", table=None, error=str(error.args[0]), args=request.args), 400
    return render_template("search/annual.html", table=table, error=None, args=request.args)


@bp.get("/annual.xlsx")
def annual_export():
    policy.require(current_user, "export")
    try:
        table = services.annual_totals(session(), current_user, request.args, exported=True)
    except annual.YearsError as error:
        flash(str(error.args[0]), "error")
        return redirect(url_for("search.annual_page"))
    return Response(
        exports.file_chunks(annual.xlsx_file(table)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{annual.filename()}"'},
    )


@bp.get("/lookup")
def lookup():
    form = LookupForm(request.args, meta={"csrf": False})
    result = outside = refused = None
    if request.args and form.validate():
        result = services.lookup(session(), current_user, form.value.data, reads=read_session())
        if (form.purpose.data or "").strip():
            try:
                outside = hits.look_up(session(), current_user, form.value.data, form.purpose.data)
            except hits.Refused as error:
                refused = str(error)
    status = 400 if form.errors else 200
    page = render_template(
        "search/lookup.html",
        form=form,
        result=result,
        outside=outside,
        refused=refused,
        may_look_elsewhere=policy.can(current_user, "look_up_elsewhere"),
        is_identifier=hits.is_identifier(form.value.data),
    )
    return page, status


@bp.post("/saved")
def saved_create():
    form = SavedSearchForm()
    if form.validate_on_submit():
        try:
            saved.create(session(), current_user, form.name.data, form.query.data, news=form.news.data)
        except saved.SavedSearchError:
            flash(_("This search cannot be saved: it has errors or no words and filters."), "error")
        else:
            flash(_("Search saved as “%(name)s”.", name=form.name.data.strip()), "success")
    else:
        flash(_("Give the saved search a name (at most 120 characters)."), "error")
    return redirect(url_for("search.search_page") + ("?" + form.query.data if form.query.data else ""))


@bp.get("/saved/<int:saved_id>")
def saved_open(saved_id: int):
    db = session()
    item = saved.own(db, current_user, saved_id)
    target = url_for("search.search_page") + "?" + item.query
    saved.mark_seen(db, current_user, item)
    return redirect(target)


@bp.post("/saved/<int:saved_id>/news")
def saved_news(saved_id: int):
    """The saved-search list's checkbox "Tell me about new records" (sent as news=1, or absent when off)."""
    db = session()
    item = saved.own(db, current_user, saved_id)
    typed = request.form.get("news", "")
    if typed not in ("", "1"):
        flash(_("Tick the box to be told about new records, or clear it to stop; nothing was changed."), "error")
    elif saved.set_news(db, current_user, item, typed == "1"):
        if item.news:
            flash(_("You will be told in your inbox about new records for “%(name)s”.", name=item.name), "success")
        else:
            flash(_("You will no longer be told about new records for “%(name)s”.", name=item.name), "success")
    return redirect(url_for("search.search_page"))


@bp.post("/saved/<int:saved_id>/delete")
def saved_delete(saved_id: int):
    db = session()
    item = saved.own(db, current_user, saved_id)
    name = item.name
    saved.delete(db, current_user, item)
    flash(_("Saved search “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("search.search_page"))
