"""The `inbox` blueprint: the views attach to it in routes.py."""

from flask import Blueprint

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
