"""Analysts' search: full text and filters over seizures, facets, identifier lookup, correlations,
exports, dashboard and saved searches. Everything is filtered by policy.visible_seizures."""

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")

from ops.search import routes  # noqa: E402,F401  (routes attach themselves to bp)
