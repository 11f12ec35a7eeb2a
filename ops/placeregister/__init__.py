"""The register of crossing points and places, kept by system administrators (/admin/places)."""
