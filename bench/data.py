"""The benchmark's data: generated seizures loaded through `ops import`, kept and reused while they are there.

Two datasets of the same generated file: `several` splits it by its agency column and imports each part
for that agency (records of four owners, so the analyst's visibility filter has work to do); `one` imports
the whole file for the State Customs Committee (every record the analyst's agency's own). The analyst is
`bench.analyst` of the State Customs Committee, member of the HQ analysis unit, never a superuser.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlmodel import Session

from ops import demo, passwords
from ops.app import create_app
from ops.migrate import upgrade
from ops.models import Agency, Seizure, Team, TeamMember, User

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench-data"
OPS = [str(Path(sys.executable).parent / "ops")]
ANALYST = "bench.analyst"
PASSWORD = "bench-analyst-password-42"
REPORT_YEAR = 2025  # the programme report's year: the second handover ceremony's, both batches in use
OWNERS = ("several", "one")


def sqlite_url(rows: int, owners: str) -> str:
    suffix = "" if owners == "several" else "-one"  # the several-owner file keeps the name earlier runs gave it
    return f"sqlite:///{DATA / f'search-bench-{rows}{suffix}.sqlite3'}"


def postgres_url(rows: int, owners: str) -> str:
    base = os.environ.get("BENCH_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/ops_search_bench"
    return f"{base}_{owners}_{rows}"


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def app_for(url: str):
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": str(DATA / "instance")})


def _run(args: list[str], url: str) -> None:
    env = dict(os.environ, DATABASE_URL=url, OPS_INSTANCE_PATH=str(DATA / "instance"))
    started = time.perf_counter()
    subprocess.run(OPS + args, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603
    shown = " ".join(a if len(a) < 40 else Path(a).name for a in args)
    print(f"  ops {shown}: {time.perf_counter() - started:.0f} s", flush=True)


def _split_by_agency(source: Path) -> dict[str, Path]:
    """One file per owning agency (the import makes the importing agency the owner)."""
    codes = {name: code for code, name in demo.AGENCIES}
    targets = {code: source.with_name(f"{source.stem}-{code}.csv") for code in codes.values()}
    if all(path.exists() for path in targets.values()):
        return targets
    with open(source, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        column = header.index("agency")
        files = {code: open(path, "w", newline="", encoding="utf-8") for code, path in targets.items()}  # noqa: SIM115
        writers = {code: csv.writer(f) for code, f in files.items()}
        for writer in writers.values():
            writer.writerow(header)
        for row in reader:
            writers[codes[row[column]]].writerow(row)
        for f in files.values():
            f.close()
    return targets


def _organisations(url: str) -> None:
    """Agencies, teams and the analyst, once."""
    app = app_for(url)
    with app.app_context(), Session(app.extensions["ops_engine"]) as db:
        if db.execute(select(func.count()).select_from(Agency)).scalar():
            return
        agencies = {code: Agency(code=code, name=name) for code, name in demo.AGENCIES}
        teams = {code: Team(code=code, name=name, kind=kind) for code, name, kind in demo.TEAMS}
        db.add_all([*agencies.values(), *teams.values()])
        db.flush()
        analyst = User(
            username=ANALYST,
            full_name="Analyst of SCC",
            role="analyst",
            agency_id=agencies["SCC"].id,
            password_hash=passwords.hash_password(PASSWORD),
        )
        db.add(analyst)
        db.flush()
        db.add(TeamMember(team_id=teams["HQ-ANL"].id, user_id=analyst.id))
        db.commit()


def seizures(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Seizure)).scalar()
    except Exception:  # noqa: BLE001 - a database without the schema yet
        return 0
    finally:
        engine.dispose()


def ensure_postgres_database(url: str) -> None:
    """The bench database is created on first use, beside the server's others."""
    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def copy_postgres(source: str, target: str, rows: int) -> bool:
    """`target` as a file copy of `source` (CREATE DATABASE ... TEMPLATE) when `source` holds `rows` seizures
    and `target` does not exist: seconds instead of the hour and more that importing a million rows takes.
    False when there is nothing to copy (the caller loads instead)."""
    name, template = target.rsplit("/", 1)[1], source.rsplit("/", 1)[1]
    admin = create_engine(target.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            asked = text("SELECT datname FROM pg_database WHERE datname IN (:n, :t)")
            found = conn.execute(asked, {"n": name, "t": template})
            if set(found.scalars()) != {template} or seizures(source) != rows:
                return False
            started = time.perf_counter()
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'))
            print(f"copied {template} to {name}: {time.perf_counter() - started:.0f} s", flush=True)
            return True
    finally:
        admin.dispose()


def source_file(rows: int, url: str) -> Path:
    DATA.mkdir(exist_ok=True)
    source = DATA / f"seizures-{rows}.csv"
    if not source.exists():
        _run(["generate", "--rows", str(rows), "--seed", "42", "--out", str(source)], url)
    return source


def load(url: str, rows: int, owners: str = "several") -> None:
    """Generate and import `rows` seizures for `owners` unless the database holds them already."""
    if url.startswith("postgresql"):
        ensure_postgres_database(url)
    if seizures(url) == rows:
        print(f"reusing {url.split('@')[-1]} ({rows:,} seizures, {owners} owner(s))", flush=True)
        _register(url)  # a database loaded before the register was part of the bench gets it now
        return
    source = source_file(rows, url)
    parts = _split_by_agency(source) if owners == "several" else {"SCC": source}
    upgrade(url)
    _organisations(url)
    for code, path in parts.items():
        _run(["import", str(path), "--agency", code], url)
    _register(url)
    _analyse(url)
    print(f"loaded: {seizures(url):,} seizures", flush=True)


def _register(url: str) -> None:
    """The demo's equipment register (two handover ceremonies, four agencies) and its use on approved
    operations, so that the programme report has batches, items and utilisation to count. Once."""
    from ops.equipment import demo as equipment_demo
    from ops.generator import equipment as register
    from ops.models_equipment import HandoverBatch

    app = app_for(url)
    with app.test_request_context(), Session(app.extensions["ops_engine"]) as db:
        if db.execute(select(func.count()).select_from(HandoverBatch)).scalar():
            return
        teams = {team.code: team.id for team in db.execute(select(Team)).scalars()}
        for agency in db.execute(select(Agency).where(Agency.is_programme.is_(False))).scalars():
            admin = _bench_admin(db, agency)
            # an item goes only to a team in which its agency takes part, as the demo's officers do
            held = {i.team for spec in register.register() if spec.agency == agency.code for i in spec.items if i.team}
            member = set(db.execute(select(TeamMember.team_id).where(TeamMember.user_id == admin.id)).scalars())
            db.add_all(
                TeamMember(team_id=teams[code], user_id=admin.id)
                for code in held
                if code in teams and teams[code] not in member
            )
        db.commit()
    with app.test_request_context():
        started = time.perf_counter()
        equipment_demo.load_register(print)
        equipment_demo.load_use(print)
        print(f"  equipment register and its use: {time.perf_counter() - started:.0f} s", flush=True)


def _bench_admin(db, agency: Agency) -> User:
    """The agency's administrator who registers its batches (the same one again on a later run)."""
    username = f"bench.admin.{agency.code.lower()}"
    admin = db.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if admin is None:
        admin = User(
            username=username,
            full_name=f"Administrator of {agency.code}",
            role="admin",
            agency_id=agency.id,
            password_hash=passwords.hash_password(PASSWORD),
        )
        db.add(admin)
        db.flush()
    return admin


def _analyse(url: str) -> None:
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()


def database_size(url: str) -> str:
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        return f"{size / 1e9:.2f} GB (SQLite file with its WAL)"
    engine = create_engine(url)
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
    engine.dispose()
    return f"{size / 1e9:.2f} GB (pg_database_size)"
