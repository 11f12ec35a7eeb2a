"""Personal API tokens: the settings page where a user makes, lists and revokes them, and the tokens themselves."""
