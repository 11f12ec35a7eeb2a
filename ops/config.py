"""Settings, read once from the environment with safe defaults for the embedded mode.

Every setting is listed in the README's configuration table; keep the two in step.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _retention_years(raw: str | None) -> int | None:
    """Whole years, at least 1; unset or empty keeps identities for ever. A wrong value stops the start."""
    if raw is None or raw.strip() == "":
        return None
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ValueError(f"OPS_RETENTION_YEARS must be a whole number of years, at least 1 (got {raw!r})")
    return int(raw)


def instance_path() -> Path:
    return Path(os.environ.get("OPS_INSTANCE_PATH", PROJECT_ROOT / "instance")).resolve()


def load_secret_key(folder: Path) -> str:
    """Return SECRET_KEY from the environment, or from a file generated once.

    The key is never a constant in code: a fresh installation writes 64 random
    bytes to instance/secret_key (mode 0600) and reuses them afterwards, so
    sessions survive restarts without anyone having to invent a key.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(64))
    return key_file.read_text().strip()


def from_environment(overrides: dict | None = None) -> dict:
    overrides = overrides or {}
    folder = Path(overrides.get("INSTANCE_PATH") or instance_path())
    return {
        "INSTANCE_PATH": str(folder),
        # a key given by the caller means no key file is read or written
        "SECRET_KEY": overrides.get("SECRET_KEY") or load_secret_key(folder),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'ops.sqlite3'}",
        # a streaming replica for searches, dashboards, maps and exports; empty: they read the primary
        "DATABASE_READ_URL": os.environ.get("DATABASE_READ_URL", ""),
        "UPLOAD_DIR": os.environ.get("OPS_UPLOAD_DIR") or str(folder / "uploads"),
        "MAX_UPLOAD_MB": _int("OPS_MAX_UPLOAD_MB", 20),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "DEFAULT_TIMEZONE": os.environ.get("OPS_DEFAULT_TIMEZONE", "Asia/Tashkent"),
        "DEFAULT_LOCALE": os.environ.get("OPS_DEFAULT_LOCALE", "en"),
        "SESSION_IDLE_MINUTES": _int("OPS_SESSION_IDLE_MINUTES", 30),
        "SESSION_MAX_HOURS": _int("OPS_SESSION_MAX_HOURS", 12),
        "BEHIND_PROXY": _bool(os.environ.get("OPS_BEHIND_PROXY"), False),
        "SECURE_COOKIES": _bool(os.environ.get("OPS_SECURE_COOKIES"), False),
        "REQUIRE_2FA_FOR_ALL": _bool(os.environ.get("OPS_REQUIRE_2FA_FOR_ALL"), False),
        "LOGIN_LOCKOUT_THRESHOLD": _int("OPS_LOGIN_LOCKOUT_THRESHOLD", 10),
        "LOGIN_RATE_LIMIT": os.environ.get("OPS_LOGIN_RATE_LIMIT") or "20 per minute; 200 per hour",
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("OPS_LOGIN_ACCOUNT_RATE_LIMIT") or "5 per minute; 30 per hour",
        "REAUTH_MINUTES": _int("OPS_REAUTH_MINUTES", 10),
        "TOTP_ISSUER": os.environ.get("OPS_TOTP_ISSUER") or "ops",
        "REPORTING_COUNTRY": os.environ.get("OPS_REPORTING_COUNTRY", "UZ"),
        # the national analysis centre's agency code: its supervisors decide "same seizure" links alone
        "ANALYSIS_CENTRE_AGENCY": (os.environ.get("OPS_ANALYSIS_CENTRE_AGENCY") or "").strip().upper(),
        "LOG_FORMAT": (os.environ.get("OPS_LOG_FORMAT") or "text").strip().lower(),
        "MIN_FREE_DISK_MB": _int("OPS_MIN_FREE_DISK_MB", 1024),
        # unset: identities are kept as long as the records (ops retention apply refuses to run)
        "RETENTION_YEARS": _retention_years(os.environ.get("OPS_RETENTION_YEARS")),
        "RETENTION_KEEP_HASHES": _bool(os.environ.get("OPS_RETENTION_KEEP_HASHES"), False),
        # hit/no-hit (ops/hits): lookups in other agencies' records per user and day (UTC), the hours an
        # owner has to answer an access request (the analysis centre's supervisors see every overdue one)
        "LOOKUP_DAILY_LIMIT": _int("OPS_LOOKUP_DAILY_LIMIT", 100),
        "ACCESS_REQUEST_HOURS": _int("OPS_ACCESS_REQUEST_HOURS", 48),
    }


def build(overrides: dict | None = None) -> dict:
    settings = from_environment(overrides)
    settings.update(overrides or {})
    # each installation its own rate-limit counters in a shared Redis: the prefix comes from its secret key
    settings.setdefault(
        "RATELIMIT_KEY_PREFIX",
        os.environ.get("OPS_RATELIMIT_KEY_PREFIX")
        or "ops-" + hashlib.sha256(b"ratelimit:" + settings["SECRET_KEY"].encode()).hexdigest()[:16],
    )
    settings["MAX_CONTENT_LENGTH"] = settings["MAX_UPLOAD_MB"] * 1024 * 1024 + 64 * 1024
    settings.setdefault("TEMPLATE_FOLDER", str(PROJECT_ROOT / "templates"))
    settings.setdefault("STATIC_FOLDER", str(PROJECT_ROOT / "static"))
    settings.setdefault("SESSION_COOKIE_HTTPONLY", True)
    settings.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    settings.setdefault("SESSION_COOKIE_SECURE", settings["SECURE_COOKIES"])
    settings.setdefault("WTF_CSRF_TIME_LIMIT", None)  # tied to the session instead
    # throttling: counters in Redis when REDIS_URL is set, so that every server process shares them
    settings.setdefault("RATELIMIT_ENABLED", True)
    settings.setdefault("RATELIMIT_STORAGE_URI", settings["REDIS_URL"] or "memory://")
    settings.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on 429 answers
    settings.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)  # Redis down: per-process limits
    settings.setdefault("BABEL_DEFAULT_LOCALE", settings["DEFAULT_LOCALE"])
    settings.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    settings.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).resolve().parent / "translations"))
    return settings
