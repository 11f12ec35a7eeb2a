"""The `operations` blueprint and its request hooks; the views attach to it in the modules that import it."""

from flask import Blueprint

bp = Blueprint("operations", __name__, url_prefix="/operations")
