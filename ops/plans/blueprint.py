"""The `plans` blueprint: the views attach to it in routes.py."""

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")
