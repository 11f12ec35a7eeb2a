"""The `watch` blueprint: the views attach to it in routes.py."""

from flask import Blueprint

bp = Blueprint("watch", __name__, url_prefix="/watchlist")
