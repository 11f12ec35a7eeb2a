"""The `liaison` blueprint: the views attach to it in routes.py."""

from flask import Blueprint

bp = Blueprint("liaison", __name__, url_prefix="/liaison")
