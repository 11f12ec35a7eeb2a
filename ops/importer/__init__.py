"""Bulk import of seizure records (CSV or XLSX): checked whole, written all-or-nothing, idempotent."""

from flask import Blueprint

bp = Blueprint("importer", __name__, url_prefix="/import")

from ops.importer import routes  # noqa: E402,F401  (routes attach themselves to bp)
