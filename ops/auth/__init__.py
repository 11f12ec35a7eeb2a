"""Signing in and out, two-factor sign-in, sessions, re-authentication and the user's account pages."""
