"""The register's spreadsheet import page (agency admins: their agency's items; programme officers: any)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ops import policy
from ops.equipment import importing
from ops.equipment.blueprint import bp
from ops.equipment.forms import ItemImportForm


@bp.route("/import", methods=["GET", "POST"])
def import_items():
    policy.require(current_user, "import_equipment")
    form = ItemImportForm()
    outcome = None
    if form.validate_on_submit():
        upload = form.file.data
        with tempfile.TemporaryDirectory(prefix="ops-equipment-") as folder:
            path = Path(folder) / "items"
            upload.save(path)
            outcome = importing.import_file(path, upload.filename or "items", current_user, apply=bool(form.apply.data))
        if outcome.written:
            flash(ngettext("%(num)s item imported.", "%(num)s items imported.", outcome.written), "success")
            return redirect(url_for("equipment.register"))
    refused = request.method == "POST" and (form.errors or (outcome is not None and not outcome.ok))
    return render_template(
        "equipment/import.html",
        form=form,
        outcome=outcome,
        columns=importing.COLUMNS.required,
        max_mb=int(request.max_content_length or 0) // (1024 * 1024),
        nothing_written=_("Nothing was written."),
    ), (400 if refused else 200)
