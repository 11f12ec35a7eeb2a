"""Seizure events: possible duplicates across agencies, "same seizure" links, and the annual totals."""
