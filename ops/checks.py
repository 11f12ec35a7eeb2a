"""What an operator (and a load balancer) needs to know before and after an upgrade.

`readiness` is /healthz: the database answers and its schema is this code's.
`run_checks` is `ops check`: that, plus the audit chain, disk space and the
files behind every attachment row, and on PostgreSQL the server's memory and
JIT settings (a warning when they are far from what 1–10 million seizures need;
README "PostgreSQL settings") and the read replica when there is one. Each
check says what it found in one line.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from ops import audit
from ops.migrate import current_revisions, head_revisions
from ops.models import Attachment


@dataclass(frozen=True)
class Readiness:
    ok: bool
    revision: str | None  # the database's, None when it cannot be read


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False  # worth an operator's look, but not a failure: `ops check` still exits 0


# For 1–10 million seizures (README "PostgreSQL settings"): (least, most) before a setting is far off, in bytes
MB = 1024 * 1024
SETTINGS_RANGES = {
    "shared_buffers": (512 * MB, 64 * 1024 * MB),  # 25 % of the server's memory, at least 1 GB advised
    "effective_cache_size": (2048 * MB, 512 * 1024 * MB),  # 50–75 % of the server's memory
    "work_mem": (8 * MB, 512 * MB),  # a search's sorts and facet counts; per operation, per connection
}
_UNITS = {"B": 1, "kB": 1024, "8kB": 8192, "MB": MB, "GB": 1024 * MB}


def _size(value: int) -> str:
    return f"{value / (1024 * MB):g} GB" if value >= 1024 * MB else f"{value / MB:g} MB"


def setting_checks(values: dict[str, int], jit: str, autovacuum: str = "on") -> list[Check]:
    """Warnings for memory settings far from the advised ranges, for JIT left on in ops' own sessions, and for
    autovacuum off (nothing then keeps the planner's statistics or the tables' free space up to date)."""
    checks = []
    for name, (least, most) in SETTINGS_RANGES.items():
        value = values[name]
        far = not least <= value <= most
        advice = f" (advised for 1–10 million seizures: {_size(least)} to {_size(most)})" if far else ""
        checks.append(Check(f"postgresql {name}", True, f"{_size(value)}{advice}", warning=far))
    jit_on = jit != "off"
    detail = "on in ops' sessions: each search pays ~30 ms of compiling" if jit_on else "off in ops' sessions"
    vacuum_off = autovacuum != "on"
    vacuum = "off: run VACUUM ANALYZE after large imports and regularly" if vacuum_off else "on"
    return [
        *checks,
        Check("postgresql jit", True, detail, warning=jit_on),
        Check("postgresql autovacuum", True, vacuum, warning=vacuum_off),
    ]


def _postgres_settings(engine: Engine) -> list[Check]:
    names = list(SETTINGS_RANGES)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT name, setting, unit FROM pg_settings WHERE name = ANY(:names)"), {"names": names}
        ).all()
        jit = conn.execute(text("SHOW jit")).scalar_one()
        autovacuum = conn.execute(text("SHOW autovacuum")).scalar_one()
    values = {name: int(setting) * _UNITS.get(unit or "B", 1) for name, setting, unit in rows}
    return setting_checks(values, jit, autovacuum)


def _replica(read_engine: Engine) -> Check:
    """The read replica answers and, on PostgreSQL, is a standby (a primary there would drift from the real one)."""
    try:
        with read_engine.connect() as conn:
            postgres = read_engine.dialect.name == "postgresql"
            standby = postgres and conn.execute(text("SELECT pg_is_in_recovery()")).scalar()
    except SQLAlchemyError as error:
        reason = str(error.orig if getattr(error, "orig", None) else error).splitlines()[0]
        return Check("read replica", False, f"not reachable: {reason}")
    if not postgres:
        return Check("read replica", True, "reachable")
    return Check("read replica", True, "reachable, " + ("a standby" if standby else "not a standby"), not standby)


def _label(revisions: frozenset[str]) -> str:
    return "+".join(sorted(revisions)) or "none"


def readiness(engine: Engine) -> Readiness:
    """Database reachable and migrated to this code's head: one small query, nothing else."""
    try:
        with engine.connect() as conn:
            current = current_revisions(conn)
    except SQLAlchemyError:
        return Readiness(False, None)
    return Readiness(current == head_revisions(), _label(current))


def _database(engine: Engine) -> list[Check]:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = current_revisions(conn)
    except SQLAlchemyError as error:
        reason = str(error.orig if getattr(error, "orig", None) else error).splitlines()[0]
        return [Check("database", False, f"not reachable: {reason}")]
    head = head_revisions()
    at_head = Check(
        "migrations",
        current == head,
        f"at {_label(current)}"
        + ("" if current == head else f", the code expects {_label(head)}: run `ops db upgrade`"),
    )
    return [Check("database", True, f"reachable ({engine.dialect.name})"), at_head]


def _audit_chain(engine: Engine) -> Check:
    with Session(engine) as db:
        result = audit.verify(db)
    if result.ok:
        return Check("audit chain", True, f"intact, {result.checked} events")
    return Check("audit chain", False, f"broken at event {result.broken_seq}: {result.reason}")


def _disk(paths: list[Path], minimum_mb: int) -> list[Check]:
    checks = []
    for path in paths:
        existing = next((p for p in [path, *path.parents] if p.exists()), Path("/"))
        free_mb = shutil.disk_usage(existing).free // (1024 * 1024)
        checks.append(
            Check(f"disk space {path}", free_mb >= minimum_mb, f"{free_mb:,} MB free (at least {minimum_mb:,})")
        )
    return checks


def _upload_files(engine: Engine, upload_dir: Path) -> Check:
    missing, total = [], 0
    with Session(engine) as db:
        rows = db.execute(select(Attachment.id, Attachment.storage_key, Attachment.thumbnail_key)).all()
    for attachment_id, key, thumbnail in rows:
        total += 1
        if not all((upload_dir / k).is_file() for k in (key, thumbnail) if k):
            missing.append(attachment_id)
    if missing:
        shown = ", ".join(map(str, missing[:20])) + (" …" if len(missing) > 20 else "")
        return Check("upload files", False, f"{len(missing)} of {total} attachments lack their file (ids {shown})")
    return Check("upload files", True, f"present for all {total} attachments")


def run_checks(engine: Engine, read_engine: Engine | None = None) -> list[Check]:
    """Every check; later ones are skipped when the database cannot be read at the right schema."""
    config = current_app.config
    upload_dir = Path(config["UPLOAD_DIR"])
    checks = _database(engine)
    if all(check.ok for check in checks):
        checks += [_audit_chain(engine), _upload_files(engine, upload_dir)]
        if engine.dialect.name == "postgresql":
            checks += _postgres_settings(engine)
    if read_engine is not None and read_engine is not engine:
        checks.append(_replica(read_engine))
    disk_paths = [Path(config["INSTANCE_PATH"]), upload_dir]
    if engine.dialect.name == "sqlite" and engine.url.database:
        disk_paths.append(Path(engine.url.database).parent)
    return checks + _disk(list(dict.fromkeys(disk_paths)), config["MIN_FREE_DISK_MB"])
