"""The `apitokens` blueprint: My account -> API tokens."""

from flask import Blueprint

bp = Blueprint("apitokens", __name__, url_prefix="/account/tokens")
