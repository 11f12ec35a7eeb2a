"""Time-based one-time codes (RFC 6238, via pyotp), their QR code, and recovery codes.

Pure functions: no database, no request. Time comes from ops.clock so that tests
can put a code at an exact moment.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

import pyotp
import segno

from ops import clock

VALID_WINDOW = 1  # accept the code of the previous and of the next 30-second step too
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed by hand
_CODE_RE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits


def provisioning_uri(secret: str, username: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def qr_data_uri(uri: str) -> str:
    """An SVG QR code as a data: URI, drawn here (no external service; CSP allows img-src data:)."""
    return segno.make(uri, error="m", micro=False).svg_data_uri(scale=5, border=2)


def spaced(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def looks_like_totp(code: str) -> bool:
    return bool(_CODE_RE.match(clean(code)))


def clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def matching_counter(secret: str, code: str) -> int | None:
    """The time step whose code this is (now ± VALID_WINDOW steps), or None.

    The step is returned, not just True, so that the caller can refuse a code
    whose step is not newer than the last one accepted (replay).
    """
    code = clean(code)
    if not _CODE_RE.match(code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(clock.now())
    for counter in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def code_at(secret: str, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (+ offset steps). Used by tests and the CLI."""
    return pyotp.TOTP(secret).at(clock.now(), counter_offset=offset_steps)


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Codes like 'k7qmx-3vda9-teh4p' (15 random characters, about 74 bits each).

    That much randomness cannot be guessed even offline, so a plain SHA-256 is
    enough to store them (see recovery_hash), as for API tokens."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(15))
        codes.append(f"{raw[:5]}-{raw[5:10]}-{raw[10:]}")
    return codes


def recovery_hash(code: str) -> str:
    return hashlib.sha256(clean(code).encode()).hexdigest()
