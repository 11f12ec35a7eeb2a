"""ops.search.sql."""
