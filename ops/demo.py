"""Demo data: agencies, teams, one user per role per agency, and generated records.

Idempotent: what exists is kept, so running it twice changes nothing. New
passwords are printed once and also written to instance/demo-logins.txt
(mode 0600) so that `make run` can show them again on a laptop demo. Never
run this on a real deployment.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app
from sqlmodel import select

from ops.admin.services import create_user
from ops.db import session
from ops.equipment import demo as equipment_demo
from ops.importer.demo import load_generated
from ops.models import Agency, Team, User

AGENCIES = [
    ("SCC", "State Customs Committee"),
    ("SSS", "State Security Service"),
    ("MIA", "Ministry of Internal Affairs"),
    ("SBS", "State Border Service"),
    ("NDCC", "National Drug Control Centre"),
]

# the programme organisation: not a law-enforcement agency; its programme officer reads no record
PROGRAMME = ("PRG", "Programme office")

# code, name, kind; the names are those of the CSV import format
TEAMS = [
    ("IMT-TER", "IMT Termez", "imt"),
    ("BLO-AYR", "BLO Ayritom", "blo"),
    ("IMT-GAL", "IMT Galaba rail", "imt"),
    ("BLO-SAR", "BLO Sariosiyo", "blo"),
    ("BLO-OYB", "BLO Oybek", "blo"),
    ("IMT-SAM", "IMT Samarkand", "imt"),
    ("IMT-TAS", "IMT Tashkent", "imt"),
    ("IMT-TAP", "IMT Tashkent Airport", "imt"),
    ("IMT-PST", "IMT Postal Tashkent", "imt"),
    ("IMT-AND", "IMT Andijan", "imt"),
    ("BLO-UCH", "BLO Uchkurgan", "blo"),
    ("IMT-BUK", "IMT Bukhara", "imt"),
    ("IMT-KKP", "IMT Karakalpakstan", "imt"),
    ("HQ-ANL", "HQ analysis unit", "hq"),
]
ROLES = ("officer", "lead", "supervisor", "analyst", "auditor", "admin")
FIELD_TEAMS = ("IMT-TER", "BLO-AYR")  # officers and leads of every agency work in these joint teams


def _ensure_orgs(echo) -> tuple[dict[str, Agency], dict[str, Team]]:
    db = session()
    agencies = {a.code: a for a in db.exec(select(Agency)).all()}
    for code, name in AGENCIES:
        if code not in agencies:
            agencies[code] = Agency(code=code, name=name)
            db.add(agencies[code])
    teams = {t.code: t for t in db.exec(select(Team)).all()}
    for code, name, kind in TEAMS:
        if code not in teams:
            teams[code] = Team(code=code, name=name, kind=kind)
            db.add(teams[code])
    if PROGRAMME[0] not in agencies:
        agencies[PROGRAMME[0]] = Agency(code=PROGRAMME[0], name=PROGRAMME[1], is_programme=True)
        db.add(agencies[PROGRAMME[0]])
    db.commit()
    echo(f"agencies: {len(agencies)}, teams: {len(teams)}")
    return agencies, teams


def _ensure_users(agencies, teams) -> list[tuple[str, str, str]]:
    db = session()
    existing = set(db.exec(select(User.username)).all())
    created = []
    for code, _name in AGENCIES:
        for role in ROLES:
            username = f"{code.lower()}.{role}"
            if username in existing:
                continue
            team_ids = [teams[t].id for t in FIELD_TEAMS] if role in ("officer", "lead") else []
            if role == "analyst":
                team_ids = [teams["HQ-ANL"].id]
            _user, password = create_user(
                None,
                agency_id=agencies[code].id,
                username=username,
                full_name=f"{role.capitalize()} of {code}",
                role=role,
                team_ids=team_ids,
            )
            created.append((username, role, password))
    if "prg.officer" not in existing:
        _user, password = create_user(
            None,
            agency_id=agencies[PROGRAMME[0]].id,
            username="prg.officer",
            full_name="Programme officer",
            role="programme_officer",
            team_ids=[],
        )
        created.append(("prg.officer", "programme_officer", password))
    if "sysadmin" not in existing:
        _user, password = create_user(
            None,
            agency_id=agencies["NDCC"].id,
            username="sysadmin",
            full_name="System administrator",
            role="admin",
            team_ids=[],
            is_sysadmin=True,
        )
        created.append(("sysadmin", "admin + system administrator", password))
    return created


def logins_file() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "demo-logins.txt"


def _save_logins(created) -> None:
    path = logins_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as handle:
        for username, role, password in created:
            handle.write(f"{username:<18} {password:<24} {role}\n")


def load_demo(records: int, echo=print) -> None:
    agencies, teams = _ensure_orgs(echo)
    created = _ensure_users(agencies, teams)
    if created:
        _save_logins(created)
        echo("demo users created (passwords shown once, kept in instance/demo-logins.txt):")
        for username, role, password in created:
            echo(f"  {username:<18} {password:<24} {role}")
    else:
        echo("demo users exist already")
    equipment_demo.load_register(echo)
    _load_records(records, agencies, echo)
    equipment_demo.load_use(echo)


def _load_records(records: int, agencies, echo) -> None:
    load_generated(records, agencies, echo)
