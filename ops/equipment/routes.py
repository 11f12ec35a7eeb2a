"""The register's pages: load -> check access (ops.policy) -> call a service -> render."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import audit, policy, vocab
from ops.db import session
from ops.equipment import queries, services
from ops.equipment.blueprint import bp
from ops.equipment.forms import AssignForm, BatchForm, DonorForm, ItemFilterForm, ItemForm, ProjectForm, StatusForm
from ops.formutil import choices, pairs
from ops.models import Agency, Team
from ops.models_equipment import Donor, Project
from ops.operations.attachments import stored_path


def _audit_read(action: str, obj=None, agency_id=None, **detail) -> None:
    db = session()
    audit.record(
        db,
        action,
        object_type=type(obj).__name__.lower() if obj is not None else "equipment",
        object_id=getattr(obj, "id", ""),
        object_agency_id=agency_id,
        detail={k: str(v) for k, v in detail.items() if v not in (None, "")},
    )
    db.commit()


def place_choices(blank: str):
    return choices({p.code: vocab.place_label(p.code) for p in vocab.PLACES if p.kind != "postal_centre"}, blank=blank)


@bp.get("/")
def register():
    policy.require(current_user, "view_equipment")
    form = ItemFilterForm(request.args)
    form.agency.choices = pairs([("", _("Any agency"))] + [(str(a.id), a.name) for a in queries.agencies(current_user)])
    form.team.choices = pairs([("", _("Any team"))] + [(str(t.id), t.code) for t in queries.all_teams()])
    rows, total = [], 0
    if form.validate():
        flt = queries.ItemFilter(
            kind=form.kind.data or "",
            status=form.status.data or "",
            agency_id=form.agency.data,
            team_id=form.team.data,
            q=(form.q.data or "").strip(),
        )
        rows, total = queries.items(current_user, flt, form.page.data or 1)
        _audit_read("equipment_list", **{k: v for k, v in vars(flt).items()})
    return render_template(
        "equipment/register.html", form=form, rows=rows, total=total, batches=queries.batches(current_user)
    ), (400 if form.errors else 200)


@bp.route("/batches/new", methods=["GET", "POST"])
def new_batch():
    policy.require(current_user, "manage_equipment")
    form = BatchForm()
    form.donor.choices = pairs([(d.id, d.name) for d in queries.donors()])
    form.project.choices = pairs([(p.id, f"{p.code} — {donor}") for p, donor in queries.projects()])
    form.agency.choices = pairs([(a.id, a.name) for a in queries.agencies(current_user)])
    error = None
    if form.validate_on_submit():
        try:
            note = services.check_note(request.files.get("note"), current_app.config["MAX_UPLOAD_MB"])
            data = {
                "reference": form.reference.data.strip(),
                "handed_over_on": form.handed_over_on.data,
                "donor_id": form.donor.data,
                "project_id": form.project.data,
                "agency_id": form.agency.data,
            }
            policy.require(current_user, "manage_equipment", _Owned(form.agency.data))
            batch = services.register_batch(current_user, data, note)
        except services.EquipmentError as exc:
            error = str(exc)
        else:
            flash(_("Handover batch %(ref)s registered.", ref=batch.reference), "success")
            return redirect(url_for("equipment.batch", batch_id=batch.id))
    status = 400 if (error or form.errors) else 200
    return render_template("equipment/batch_form.html", form=form, error=error), status


class _Owned:
    """A stand-in with an agency_id, to ask the policy about an agency before anything exists."""

    def __init__(self, agency_id: int):
        self.agency_id = agency_id


def _item_form(batch, formdata=None) -> ItemForm:
    form = ItemForm(formdata)
    form.team.choices = pairs(
        [("", _("No team"))] + [(str(t.id), t.code) for t in queries.teams_of_agency(batch.agency_id)]
    )
    form.place.choices = place_choices(_("No crossing point"))
    return form


@bp.route("/batches/<int:batch_id>", methods=["GET", "POST"])
def batch(batch_id: int):
    batch = queries.load_batch(current_user, batch_id)
    form, error = _item_form(batch, request.form if request.method == "POST" else None), None
    if request.method == "POST":
        policy.require(current_user, "manage_equipment", batch)
        form.team.choices = pairs(
            [("", "")] + [(str(t.id), t.code) for t in queries.all_teams()]
        )  # the service decides
        if form.validate():
            try:
                services.add_items(current_user, batch, [_item_input(form)])
            except services.EquipmentError as exc:
                error = str(exc)
            else:
                flash(_("Item %(number)s added.", number=form.inventory_number.data), "success")
                return redirect(url_for("equipment.batch", batch_id=batch.id))
        form.team.choices = _item_form(batch).team.choices
    else:
        _audit_read("handover_view", batch, batch.agency_id)
    rows, total = queries.items(current_user, queries.ItemFilter(batch_id=batch.id))
    context = {
        "batch": batch,
        "rows": rows,
        "total": total,
        "form": form,
        "error": error,
        "donor": session().get(Donor, batch.donor_id),
        "project": session().get(Project, batch.project_id),
        "agency": session().get(Agency, batch.agency_id),
    }
    return render_template("equipment/batch.html", **context), (400 if (error or form.errors) else 200)


def _item_input(form: ItemForm) -> services.ItemInput:
    return services.ItemInput(
        kind=form.kind.data,
        make=(form.make.data or "").strip(),
        model=(form.model.data or "").strip(),
        serial=form.serial.data.strip(),
        inventory_number=form.inventory_number.data.strip(),
        value=form.value.data,
        currency=form.currency.data,
        team_id=form.team.data,
        place_code=form.place.data or None,
    )


@bp.get("/batches/<int:batch_id>/note")
def note(batch_id: int):
    batch = queries.load_batch(current_user, batch_id)
    _audit_read("handover_note_download", batch, batch.agency_id, sha256=batch.note_sha256)
    response = send_file(
        stored_path(batch.note_storage_key),
        mimetype=batch.note_content_type,
        as_attachment=request.args.get("inline") != "1",
        download_name=batch.note_filename,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/items/<int:item_id>")
def item(item_id: int):
    item = queries.load_item(current_user, item_id)
    _audit_read("equipment_view", item, item.agency_id)
    return _item_page(item)


def _item_page(item, status_form=None, assign_form=None, error=None, status=200):
    assign_form = assign_form or AssignForm(formdata=None)
    assign_form.team.choices = pairs(
        [("", _("No team"))] + [(str(t.id), t.code) for t in queries.teams_of_agency(item.agency_id)]
    )
    assign_form.place.choices = place_choices(_("No crossing point"))
    context = {
        "item": item,
        "batch": queries.load_batch(current_user, item.batch_id),
        "agency": session().get(Agency, item.agency_id),
        "team": session().get(Team, item.team_id) if item.team_id else None,
        "statuses": queries.status_history(item.id),
        "assignments": queries.assignment_history(item.id),
        "used": queries.times_used(item.id),
        "status_form": status_form or StatusForm(formdata=None),
        "assign_form": assign_form,
        "error": error,
    }
    return render_template("equipment/item.html", **context), status


@bp.post("/items/<int:item_id>/status")
def change_status(item_id: int):
    item = queries.load_item(current_user, item_id, "manage_equipment")
    form = StatusForm()
    if form.validate():
        try:
            services.change_status(current_user, item, form.status.data, form.changed_on.data, form.reason.data)
        except services.EquipmentError as exc:
            session().rollback()
            return _item_page(session().get(type(item), item_id), status_form=form, error=str(exc), status=400)
        flash(_("Status changed."), "success")
        return redirect(url_for("equipment.item", item_id=item.id))
    return _item_page(item, status_form=form, status=400)


@bp.post("/items/<int:item_id>/assign")
def assign(item_id: int):
    item = queries.load_item(current_user, item_id, "manage_equipment")
    form = AssignForm()
    form.team.choices = pairs([("", "")] + [(str(t.id), t.code) for t in queries.all_teams()])  # the service decides
    form.place.choices = place_choices("")
    if form.validate():
        try:
            services.assign(current_user, item, form.team.data, form.place.data or None, form.assigned_on.data)
        except services.EquipmentError as exc:
            session().rollback()
            return _item_page(session().get(type(item), item_id), assign_form=form, error=str(exc), status=400)
        flash(_("Assignment saved."), "success")
        return redirect(url_for("equipment.item", item_id=item.id))
    return _item_page(item, assign_form=form, status=400)


@bp.route("/programme", methods=["GET", "POST"])
def programme():
    """Donors and projects: set up by the system administrator, chosen when a batch is registered."""
    policy.require(current_user, "manage_programme")
    donor_form = DonorForm(prefix="donor")
    project_form = ProjectForm(prefix="project")
    project_form.donor.choices = pairs([(d.id, d.name) for d in queries.donors()])
    error = None
    try:
        if donor_form.submit.data and donor_form.validate_on_submit():
            services.add_donor(current_user, donor_form.name.data)
            flash(_("Donor registered."), "success")
            return redirect(url_for("equipment.programme"))
        if project_form.submit.data and project_form.validate_on_submit():
            f = project_form
            services.add_project(
                current_user, f.code.data.strip(), f.name.data.strip(), f.donor.data, (f.component.data or "").strip(),
                f.starts_on.data, f.ends_on.data,
            )  # fmt: skip
            flash(_("Project registered."), "success")
            return redirect(url_for("equipment.programme"))
    except services.EquipmentError as exc:
        session().rollback()
        error = str(exc)
    failed = error or donor_form.errors or project_form.errors
    context = {"donor_form": donor_form, "project_form": project_form, "error": error, "projects": queries.projects()}
    return render_template("equipment/programme.html", **context), (400 if failed else 200)
