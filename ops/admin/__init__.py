"""Agency admins' pages: the agency's users, their roles, resets; system administrators' agencies and teams."""
