"""The map of a search: seizures by place and category, and routes between countries, from grouped SQL."""
