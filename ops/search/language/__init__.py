"""ops.search.language."""
