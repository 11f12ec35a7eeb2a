"""Where to send a user after signing in or confirming: same-site paths only."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def _has_control_characters(text: str) -> bool:
    # C0, DEL and C1: a CR or LF would split the Location header (werkzeug refuses it with a 500)
    return any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in text)


def safe_next(target: str | None) -> str:
    """Only same-site paths: an absolute URL, a scheme-relative one or one with control characters goes home."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("main.home")
    if _has_control_characters(target):
        return url_for("main.home")
    parts = urlsplit(target)
    if parts.netloc or parts.scheme:
        return url_for("main.home")
    return target
