"""Planned operations for deconfliction: seen only by their own agency; conflicts are told, never shown."""
