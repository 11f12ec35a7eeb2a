"""The `hits` blueprint (access requests and a record's hit settings); the views attach to it in routes.py."""

from flask import Blueprint

bp = Blueprint("hits", __name__, url_prefix="/access")
