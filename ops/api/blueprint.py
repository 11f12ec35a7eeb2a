"""The `api` blueprint and its request hooks; the views attach to it in the modules that import it."""

from flask import Blueprint

from ops.api.auth import check_request
from ops.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(check_request)
csrf.exempt(bp)  # CSRF is checked in check_request, only where it applies (cookie-authenticated writes)
