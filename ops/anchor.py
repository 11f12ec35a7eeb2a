"""The audit chain anchored outside the database.

Someone able to rewrite the database could delete the newest events and rewind
the head row; the chain that remains would still verify. An anchor — the head's
sequence number and hash at a moment, signed with HMAC-SHA256 under the secret
key — is kept by the operator elsewhere (printed, mailed, another machine).
`ops audit verify --anchor FILE` then requires that event to exist with that
hash: a chain cut back behind the anchor, or rewritten before it, is detected
however consistent the rest looks.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from sqlmodel import Session, select

from ops import clock
from ops.audit import VerifyResult, verify
from ops.models import AuditEvent, AuditHead

VERSION = 1


class AnchorError(ValueError):
    """The anchor file is not one we wrote with this secret key."""


def _signature(secret: str, seq: int, hash_: str, at: str) -> str:
    message = f"ops-audit-anchor:{VERSION}:{seq}:{hash_}:{at}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def make_anchor(session: Session, secret: str) -> dict:
    """The head as it is now, signed."""
    head = session.get(AuditHead, 1)
    seq, hash_ = (head.seq, head.last_hash) if head else (0, "0" * 64)
    at = clock.now().isoformat(timespec="seconds")
    return {"version": VERSION, "seq": seq, "hash": hash_, "at": at, "signature": _signature(secret, seq, hash_, at)}


def read_anchor(text: str, secret: str) -> dict:
    try:
        anchor = json.loads(text)
        seq, hash_, at, signature = int(anchor["seq"]), str(anchor["hash"]), str(anchor["at"]), str(anchor["signature"])
    except (ValueError, KeyError, TypeError) as error:
        raise AnchorError(f"not an audit anchor: {error}") from None
    if not hmac.compare_digest(signature, _signature(secret, seq, hash_, at)):
        raise AnchorError("the anchor's signature does not match (another installation's key, or altered)")
    return {"seq": seq, "hash": hash_, "at": at}


def verify_with_anchor(session: Session, anchor: dict) -> VerifyResult:
    """The chain is intact and still holds the anchored event, with the anchored hash."""
    result = verify(session)
    if not result.ok:
        return result
    if anchor["seq"] == 0:
        return result
    if result.checked < anchor["seq"]:
        reason = f"the chain ends at {result.checked}, before the anchor's event {anchor['seq']} of {anchor['at']}"
        return VerifyResult(False, result.checked, result.checked + 1, reason)
    stored = session.exec(select(AuditEvent.hash).where(AuditEvent.seq == anchor["seq"])).first()
    if stored != anchor["hash"]:
        reason = f"event {anchor['seq']} is not the one anchored on {anchor['at']} (its hash differs)"
        return VerifyResult(False, anchor["seq"] - 1, anchor["seq"], reason)
    return result
