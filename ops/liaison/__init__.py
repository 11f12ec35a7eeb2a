"""Border liaison across the border: counterpart offices, releases to them (README "Counterpart offices and releases")."""
