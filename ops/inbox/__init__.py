"""The inbox: one list of items per user (InboxItem), written by the services of the events that cause them."""
