"""Watchlists: a user watches a plate, document number, phone number or full name and hears of new matches."""
