"""The `events` blueprint: "same seizure" links and the analysts' queue of possible duplicates."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/seizure-events")
