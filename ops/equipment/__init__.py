"""The programme's equipment register, the equipment used in operations, team pages and the programme report."""

from flask import Blueprint

bp = Blueprint("equipment", __name__, url_prefix="/equipment")

from ops.equipment import routes, routes_report  # noqa: E402,F401  (routes attach themselves to bp)
