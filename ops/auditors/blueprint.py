"""The `auditors` blueprint and its request hooks; the views attach to it in the modules that import it."""

from flask import Blueprint

bp = Blueprint("auditors", __name__, url_prefix="/audit")
