"""Operations: team leads' reports of joint operations, their seizures, persons, vehicles and files."""

from flask import Blueprint

bp = Blueprint("operations", __name__, url_prefix="/operations")

from ops.operations import routes, routes_actions  # noqa: E402,F401  (routes attach themselves to bp)
