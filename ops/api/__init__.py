"""The JSON API at /api/v1: token or session authentication, the records, search and export, its OpenAPI document."""
