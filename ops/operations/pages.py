"""Rendering the operation pages, shared by the routes: record page, form, conflict page."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from flask import current_app, g, render_template, request
from flask import session as flask_session
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from ops import identities, policy, used_equipment, vocab
from ops.db import session
from ops.events import notices
from ops.formutil import pairs
from ops.hits import requests as access
from ops.hits import settings as hit_settings
from ops.hits.forms import HitSettingsForm, agency_choices
from ops.models import Agency, Operation, OperationAgency, OperationIdentityGrant, OperationShare, User
from ops.operations import attachments, history, place_map, queries, revisions, services
from ops.operations.blueprint import bp
from ops.operations.correlations import correlations
from ops.operations.entries import PersonEntry, SeizureEntry, VehicleEntry, seizure_link_choices
from ops.operations.fields import user_zone
from ops.operations.forms import ReviewForm, UploadForm, VersionedActionForm, VisibilityForm
from ops.operations.forms_handling import HandlingForm
from ops.operations.forms_hold import LegalHoldForm

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
    rows = revisions.revisions(session(), record.operation.id)
    return history.present(rows, reader(record, identities.of_revisions(revision for revision, _user in rows)))


def reader(record: queries.Record, past=None) -> history.Reader:
    names = {
        s.id: _("Seizure %(n)s (%(what)s)", n=n, what=vocab.label(vocab.COMMODITY_LABELS, s.commodity))
        for n, s in enumerate(record.seizures, start=1)
    }
    operation = record.operation
    return history.Reader(
        record.persons_visible,
        vocab.local_name(record.owner_agency),
        names,
        mask=lambda text: identities.shown(text, operation, past=past),
        remarks_visible=identities.may_read_remarks(current_user, operation),
    )


def visibility_form(operation: Operation, agencies, record: queries.Record | None = None) -> VisibilityForm:
    """`record`: the record page's data, whose participants and share list are read already."""
    db = session()
    form = VisibilityForm(
        formdata=None,
        visibility=operation.visibility,
        share_persons=operation.share_persons,
        version=str(operation.version),
    )
    if record is None:
        shares = services.agency_ids(db, OperationShare, operation.id)
        participants = services.agency_ids(db, OperationAgency, operation.id)
        ticks = services.persons_share_ids(db, operation.id) + services.agency_ids(
            db, OperationIdentityGrant, operation.id
        )
    else:
        shares = sorted(agency.id for agency in record.shares)
        participants = sorted(agency.id for agency in record.participants)
        ticks = record.identity_ticks
    # shares equal to the participants are shown as "the default", so they keep following them
    form.share_agencies.data = [] if shares == [a for a in participants if a != operation.owner_agency_id] else shares
    form.persons_agencies.data = ticks
    return with_share_choices(form, agencies, operation)


def with_share_choices(form, agencies, operation: Operation):
    """Agencies the record can be shared with: all but its owner, who has it anyway."""
    others = pairs((a.id, vocab.local_name(a)) for a in agencies if a.id != operation.owner_agency_id)
    form.share_agencies.choices = form.persons_agencies.choices = others
    if operation.status == "approved":  # "once approved" would tell the reader of an approved record it is not
        form.visibility.label.text = _("Who may read it")
    return form


UPLOAD_ERROR = "upload_error"  # session key: a refused upload's message, shown once beside the files


def _upload_error(operation: Operation) -> str | None:
    pending = flask_session.get(UPLOAD_ERROR)
    if not pending or pending.get("operation") != operation.id:
        return None
    flask_session.pop(UPLOAD_ERROR)
    return pending.get("message")


def handling_form(operation: Operation) -> HandlingForm:
    return HandlingForm(
        formdata=None,
        handling_code=operation.handling_code,
        handling_conditions=operation.handling_conditions,
        grading=operation.grading,
        version=str(operation.version),
    )


def page_data(operation: Operation, page: str = "record", as_partners: bool = False) -> dict:
    """What the record page and its print view show, read once, as the reader may see it (audited:
    one view event, naming the thumbnails the page shows instead of one event per image);
    `as_partners`: as a reader of another agency without the identities would (the owner's preview)."""
    files = attachments.of_operation(operation.id)
    services.record_view(current_user, operation, page, thumbnails=[a.id for a in files if a.thumbnail_key])
    record = queries.record(operation, current_user, as_partners=as_partners, attachments=files)
    return {"op": operation, "record": record, "history": history_entries(record), "attachments": files}


def render_record(operation: Operation, status: int = 200, **forms):
    """The record page; forms that failed validation are passed in to show their errors."""
    forms.setdefault("upload_error", _upload_error(operation))
    partners = bool(g.get("as_partners"))
    # read first: the record's owner agency and teams are then found in the session, not asked for again
    agencies, _teams = services.reference_data()
    data = page_data(operation, as_partners=partners)
    record = data["record"]
    version = str(operation.version)
    forms.setdefault("review_form", ReviewForm(formdata=None, version=version))
    forms.setdefault("submit_form", VersionedActionForm(formdata=None, version=version))
    forms.setdefault("upload_form", UploadForm(formdata=None))
    if "visibility_form" not in forms:
        forms["visibility_form"] = visibility_form(operation, agencies, record)
    forms.setdefault("handling_form", handling_form(operation))
    forms.setdefault("legal_hold_form", LegalHoldForm(formdata=None))
    holder = session().get(User, operation.legal_hold_by_id) if operation.legal_hold_by_id else None
    forms["legal_hold_by"] = holder.full_name if holder else ""
    return render_template(
        "operations/view.html",
        **_hits_part(operation, partners),
        max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
        # persons are compared only where the reader sees them, and a partner does not here
        correlations=[
            c
            for c in correlations(current_user, operation, parties=_parties(record))
            if not partners or c.kind == "plate"
        ],
        partners_view=partners,
        place_map=place_map.figures(operation, record.seizures),
        # "also reported by", and possible duplicates for the lead and supervisors (not in the partners' preview)
        seizure_events=None
        if partners
        else notices.of_record(session(), current_user, operation, [s.id for s in record.seizures]),
        **data,
        **forms,
    ), status


def _parties(record: queries.Record):
    """The record's vehicles and, where the page shows them, persons, for the correlations (read once)."""
    return record.vehicles, (record.persons if record.persons_visible else None)


def _hits_part(operation: Operation, partners: bool) -> dict:
    """The owner's view of hits: the hit settings form (supervisors) and the record's access requests."""
    if partners or operation.owner_agency_id != current_user.agency_id:
        return {"access_requests": [], "hit_settings_form": None}
    db = session()
    found = access.of_record(db, current_user, operation)
    agencies, people = access.names(db, found)
    form = None
    if policy.can(current_user, "set_hits", operation):
        form = HitSettingsForm(
            formdata=None, silent=operation.silent, agencies=hit_settings.hit_agency_ids(db, operation.id)
        )
        form.agencies.choices = agency_choices(hit_settings.other_agencies(db, operation))
    return {
        "access_requests": found,
        "access_names": (agencies, people),
        "access": access,
        "hit_settings_form": form,
    }


def render_print(operation: Operation):
    """The print view: the record page's data, without its forms, with a header on every page."""
    data = page_data(operation, "print")
    viewer_agency = session().get(Agency, current_user.agency_id)
    return render_template(
        "operations/print.html",
        viewer_agency=vocab.local_name(viewer_agency),
        printed_at=datetime.now(UTC),
        **data,
    )


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
