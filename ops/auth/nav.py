"""Where to send a user after signing in or confirming: same-site paths only."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None) -> str:
    """Only same-site paths: an absolute URL or a scheme-relative one goes home instead."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("main.home")
    parts = urlsplit(target)
    if parts.netloc or parts.scheme:
        return url_for("main.home")
    return target
