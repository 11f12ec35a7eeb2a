"""The `placeregister` blueprint; the views attach to it in routes.py."""

from flask import Blueprint

bp = Blueprint("placeregister", __name__, url_prefix="/admin/places")
