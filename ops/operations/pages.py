"""Rendering the operation pages, shared by the routes: record page, form, conflict page."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from flask import current_app, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from ops import policy, used_equipment, vocab
from ops.db import session
from ops.formutil import pairs
from ops.models import Operation, OperationAgency, OperationShare
from ops.operations import attachments, bp, history, queries, revisions, services
from ops.operations.entries import PersonEntry, SeizureEntry, VehicleEntry, seizure_link_choices
from ops.operations.fields import user_zone
from ops.operations.forms import ReviewForm, UploadForm, VersionedActionForm, VisibilityForm
from ops.search.correlations import correlations

ROW_LISTS = {"seizure": "seizures", "person": "persons", "vehicle": "vehicles"}


@bp.app_template_filter("qty")
def quantity_text(value: Decimal) -> str:
    """12.500 -> "12.5", 25000 -> "25,000" (in the reader's locale); up to six decimals."""
    return format_decimal(value, format="#,##0.######")


def offer_equipment(form, owner_agency_id: int, team_ids, operation_id: int | None = None) -> None:
    """The equipment the form lists: in-service items of the agencies taking part, of the teams, and those ticked."""
    db = session()
    taking_part = {owner_agency_id, *used_equipment.agencies_of_teams(db, team_ids)}
    if operation_id is not None:
        taking_part |= set(services.agency_ids(db, OperationAgency, operation_id))
    keep = used_equipment.linked_ids(db, operation_id)
    form.set_equipment(used_equipment.candidates(db, taking_part, team_ids, keep), owner_agency_id)


def history_entries(record: queries.Record) -> list[history.Entry]:
    if not policy.can(current_user, "view_history", record.operation):
        return []
    return history.present(revisions.revisions(session(), record.operation.id), reader(record))


def reader(record: queries.Record) -> history.Reader:
    names = {
        s.id: _("Seizure %(n)s (%(what)s)", n=n, what=vocab.label(vocab.COMMODITY_LABELS, s.commodity))
        for n, s in enumerate(record.seizures, start=1)
    }
    return history.Reader(record.persons_visible, record.owner_agency.name, names)


def visibility_form(operation: Operation, agencies) -> VisibilityForm:
    db = session()
    form = VisibilityForm(
        formdata=None,
        visibility=operation.visibility,
        share_persons=operation.share_persons,
        version=str(operation.version),
    )
    shares = services.agency_ids(db, OperationShare, operation.id)
    participants = services.agency_ids(db, OperationAgency, operation.id)
    # shares equal to the participants are shown as "the default", so they keep following them
    form.share_agencies.data = [] if shares == [a for a in participants if a != operation.owner_agency_id] else shares
    return with_share_choices(form, agencies, operation)


def with_share_choices(form, agencies, operation: Operation):
    """Agencies the record can be shared with: all but its owner, who has it anyway."""
    form.share_agencies.choices = pairs((a.id, a.name) for a in agencies if a.id != operation.owner_agency_id)
    return form


def render_record(operation: Operation, status: int = 200, **forms):
    """The record page; forms that failed validation are passed in to show their errors."""
    services.record_view(current_user, operation)
    record = queries.record(operation, current_user)
    agencies, _teams = services.reference_data()
    version = str(operation.version)
    forms.setdefault("review_form", ReviewForm(formdata=None, version=version))
    forms.setdefault("submit_form", VersionedActionForm(formdata=None, version=version))
    forms.setdefault("upload_form", UploadForm(formdata=None))
    if "visibility_form" not in forms:
        forms["visibility_form"] = visibility_form(operation, agencies)
    return render_template(
        "operations/view.html",
        op=operation,
        record=record,
        history=history_entries(record),
        attachments=attachments.of_operation(operation.id),
        max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
        correlations=correlations(current_user, operation),
        **forms,
    ), status


def country_options():
    return [(code, vocab.country_name(code)) for code in vocab.COUNTRY_CODES]


def render_form(form, mode: str, operation: Operation | None = None, status: int = 200, **extra):
    return render_template(
        "operations/form.html",
        form=form,
        mode=mode,
        op=operation,
        countries=country_options(),
        zone=user_zone().key,
        row_templates=row_templates(form),
        **extra,
    ), status


def row_templates(form) -> dict:
    """An empty row of each kind, named with __index__, for the script's "Add" buttons."""
    made = {
        "seizure": SeizureEntry(prefix="seizures-__index__-"),
        "person": PersonEntry(prefix="persons-__index__-"),
        "vehicle": VehicleEntry(prefix="vehicles-__index__-"),
    }
    for kind in ("person", "vehicle"):
        made[kind].seizure_row.choices = seizure_link_choices(len(form.seizures.entries))
    return made


def opened_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- "Add another row" and "Remove" without the script ---------------------------------------


def rows_changed(form) -> bool:
    """Handle the no-script row buttons; True when the form is to be shown again, unsaved."""
    add = request.form.get("add_row")
    if add in ROW_LISTS:
        getattr(form, ROW_LISTS[add]).append_entry()
        form.refresh_links()
        return True
    remove = request.form.get("remove_row", "")
    for kind, name in ROW_LISTS.items():
        rows = getattr(form, name)
        for position, entry in enumerate(rows.entries, start=1):
            if entry.name == remove:
                rows.entries.remove(entry)
                if kind == "seizure":
                    _renumber_links(form, position)
                form.refresh_links()
                return True
    return False


def _renumber_links(form, removed: int) -> None:
    """Rows linked to seizure N keep pointing at the same seizure after an earlier one is removed."""
    for entry in [*form.persons.entries, *form.vehicles.entries]:
        link = entry.form.seizure_row
        number = int(link.data) if (link.data or "").isdigit() else None
        if number == removed:
            link.data = ""
        elif number and number > removed:
            link.data = str(number - 1)
