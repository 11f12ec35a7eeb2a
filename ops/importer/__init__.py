"""Bulk import of seizure records (CSV or XLSX): checked whole, written all-or-nothing, idempotent."""
