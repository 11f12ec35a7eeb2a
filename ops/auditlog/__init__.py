from flask import Blueprint

bp = Blueprint("auditlog", __name__, url_prefix="/audit")

from ops.auditlog import routes  # noqa: E402,F401  (routes attach themselves to bp)
