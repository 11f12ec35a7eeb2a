"""ops.search.dashboard."""
