"""The `equipment` blueprint: the register, the team pages and the programme report attach to it."""

from flask import Blueprint

bp = Blueprint("equipment", __name__, url_prefix="/equipment")
