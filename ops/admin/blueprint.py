"""The `admin` blueprint and its request hooks; the views attach to it in the modules that import it."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
