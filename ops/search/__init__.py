"""Analysts' search: full text and filters over seizures, facets, identifier lookup, correlations,
exports, dashboard and saved searches. Everything is filtered by policy.visible_seizures."""
