"""The home page, the language switch, the policy page and the health check."""
