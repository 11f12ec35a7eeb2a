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
from sqlalchemy.engine import make_url
from sqlmodel import select

from ops import policy, vocab
from ops.admin.services import create_user
from ops.db import session
from ops.equipment import demo as equipment_demo
from ops.importer.demo import load_generated
from ops.liaison import services as liaison
from ops.models import Agency, Team, User
from ops.models_places import Place, PlaceTeam

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
# the agencies' and teams' names in Russian and Uzbek (the English ones above are what imports match)
LOCAL_NAMES = {
    "SCC": ("Государственный таможенный комитет", "Davlat bojxona qo'mitasi"),
    "SSS": ("Служба государственной безопасности", "Davlat xavfsizlik xizmati"),
    "MIA": ("Министерство внутренних дел", "Ichki ishlar vazirligi"),
    "SBS": ("Государственная пограничная служба", "Davlat chegara xizmati"),
    "NDCC": ("Национальный центр по контролю за наркотиками", "Giyohvandlikni nazorat qilish milliy markazi"),
    "PRG": ("Офис программы", "Dastur ofisi"),
    "IMT-TER": ("МОГ Термез", "Termiz IMG"),
    "BLO-AYR": ("ОПС Айритом", "Ayritom ChAO"),
    "IMT-GAL": ("МОГ Галаба (железная дорога)", "G'alaba temir yo'l IMG"),
    "BLO-SAR": ("ОПС Сариасия", "Sariosiyo ChAO"),
    "BLO-OYB": ("ОПС Ойбек", "Oybek ChAO"),
    "IMT-SAM": ("МОГ Самарканд", "Samarqand IMG"),
    "IMT-TAS": ("МОГ Ташкент", "Toshkent IMG"),
    "IMT-TAP": ("МОГ аэропорт Ташкент", "Toshkent aeroporti IMG"),
    "IMT-PST": ("МОГ почта Ташкент", "Toshkent pochta IMG"),
    "IMT-AND": ("МОГ Андижан", "Andijon IMG"),
    "BLO-UCH": ("ОПС Учкурган", "Uchqo'rg'on ChAO"),
    "IMT-BUK": ("МОГ Бухара", "Buxoro IMG"),
    "IMT-KKP": ("МОГ Каракалпакстан", "Qoraqalpog'iston IMG"),
    "HQ-ANL": ("Аналитический отдел центрального аппарата", "Markaziy apparat tahlil bo'limi"),
    "DCA-TJ": (
        "Агентство по контролю за наркотиками Таджикистана",
        "Tojikiston giyohvandlikni nazorat qilish agentligi",
    ),
    "BLO-FOT": ("ОПС Фотехобод", "Fotehobod ChAO"),
}
# a counterpart office across the border (a foreign partner: reads no record), its team and its lead
FOREIGN_PARTNER = ("DCA-TJ", "Drug Control Agency of Tajikistan", "TJ", "ru")
FOREIGN_TEAM = ("BLO-FOT", "BLO Fotehobod", "blo")
# national agencies whose border liaison offices work with the Tajik office (Oybek–Fotehobod, Sariosiyo)
COUNTERPART_PAIRS = (("SCC", "DCA-TJ"), ("SBS", "DCA-TJ"))
# where the teams are based (codes of the register of places)
TEAM_BASES = {
    "IMT-TER": "TERMEZ_CARGO",
    "BLO-AYR": "AYRITOM",
    "IMT-GAL": "GALABA",
    "BLO-SAR": "SARIOSIYO",
    "BLO-OYB": "OYBEK",
    "IMT-SAM": "JARTEPA",
    "IMT-TAS": "CHINAZ",
    "IMT-TAP": "TAS_AIRPORT",
    "IMT-PST": "TAS_MAIL",
    "IMT-AND": "DUSTLIK",
    "BLO-UCH": "UCHKURGAN",
    "IMT-BUK": "ALAT",
    "IMT-KKP": "DAUT_OTA",
}
# one user of each role that works with records, and the admin, per agency (programme officers belong to the
# programme organisation, which the equipment demo creates)
DEMO_ROLES = tuple(role for role in vocab.ROLES if role not in policy.NO_RECORD_ROLES)
FIELD_TEAMS = ("IMT-TER", "BLO-AYR")  # officers and leads of every agency work in these joint teams
# Demo users carry people's names, as real accounts do: a name is the same in every language,
# where "Supervisor of SCC" stayed English in the Russian and Uzbek interface.
GIVEN_NAMES = ("Aziza", "Bobur", "Charos", "Davron", "Elyor", "Feruza", "Gayrat", "Hilola", "Ilhom", "Kamola")
WOMEN = frozenset({"Aziza", "Charos", "Feruza", "Hilola", "Kamola"})
FAMILY_NAMES = ("Abdullayev", "Boltayev", "Ergashev", "Fayziyev", "Hamroyev", "Ismoilov")


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
    code, name, country, language = FOREIGN_PARTNER
    if code not in agencies:
        agencies[code] = Agency(
            code=code, name=name, country=country, is_foreign_partner=True, receive_language=language
        )
        db.add(agencies[code])
    if FOREIGN_TEAM[0] not in teams:
        teams[FOREIGN_TEAM[0]] = Team(code=FOREIGN_TEAM[0], name=FOREIGN_TEAM[1], kind=FOREIGN_TEAM[2])
        db.add(teams[FOREIGN_TEAM[0]])
    for organisation in (*agencies.values(), *teams.values()):
        _name_in_three_languages(organisation)
    db.flush()
    _base_teams(db, teams)
    db.commit()
    echo(f"agencies: {len(agencies)}, teams: {len(teams)}")
    return agencies, teams


def _name_in_three_languages(organisation) -> None:
    """Russian and Uzbek names where the migration left the English one (or nothing)."""
    russian, uzbek = LOCAL_NAMES.get(organisation.code, ("", ""))
    organisation.name_en = organisation.name_en or organisation.name
    if organisation.name_ru in ("", organisation.name):
        organisation.name_ru = russian
    if organisation.name_uz in ("", organisation.name):
        organisation.name_uz = uzbek


def _base_teams(db, teams) -> None:
    based = set(db.exec(select(PlaceTeam.team_id)).all())
    places = {p.code: p.id for p in db.exec(select(Place)).all()}
    for team_code, place_code in TEAM_BASES.items():
        if teams[team_code].id not in based and place_code in places:
            db.add(PlaceTeam(team_id=teams[team_code].id, place_id=places[place_code]))


def _ensure_users(agencies, teams) -> list[tuple[str, str, str]]:
    db = session()
    existing = set(db.exec(select(User.username)).all())
    created = []
    for number, (code, _name) in enumerate(AGENCIES):
        for rank, role in enumerate(DEMO_ROLES):
            username = f"{code.lower()}.{role}"
            if username in existing:
                continue
            team_ids = [teams[t].id for t in FIELD_TEAMS] if role in policy.TEAM_ROLES else []
            if role == "analyst":
                team_ids = [teams["HQ-ANL"].id]
            _user, password = create_user(
                None,
                agency_id=agencies[code].id,
                username=username,
                full_name=_person_name(number * len(DEMO_ROLES) + rank),
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
    partner_lead = f"{FOREIGN_PARTNER[0].lower()}.lead"
    if partner_lead not in existing:
        _user, password = create_user(
            None,
            agency_id=agencies[FOREIGN_PARTNER[0]].id,
            username=partner_lead,
            full_name="Rustam Nazarov",
            role="lead",
            team_ids=[teams[FOREIGN_TEAM[0]].id],
        )
        created.append((partner_lead, "lead (foreign partner)", password))
    if "sysadmin" not in existing:
        _user, password = create_user(
            None,
            agency_id=agencies["NDCC"].id,
            username="sysadmin",
            full_name=_person_name(len(AGENCIES) * len(DEMO_ROLES)),
            role="admin",
            team_ids=[],
            is_sysadmin=True,
        )
        created.append(("sysadmin", "admin + system administrator", password))
    return created


def _person_name(index: int) -> str:
    family = FAMILY_NAMES[index // len(GIVEN_NAMES) % len(FAMILY_NAMES)]
    given = GIVEN_NAMES[index % len(GIVEN_NAMES)]
    if given in WOMEN:  # Uzbek family names take -a for women: Ergasheva
        family += "a"
    return f"{given} {family}"


def logins_file() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "demo-logins.txt"


HEADER = "# database: "


def _database() -> str:
    return make_url(current_app.config["DATABASE_URL"]).render_as_string(hide_password=True)


def _read_blocks(path: Path) -> dict[str, list[str]]:
    """The file's blocks, database -> login lines; lines of a file older than the headers go under "unknown"."""
    blocks: dict[str, list[str]] = {}
    current = "unknown (written before this file named its database)"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    for line in text.splitlines():
        if line.startswith(HEADER):
            current = line[len(HEADER) :]
            blocks.setdefault(current, [])
        elif line.strip():
            blocks.setdefault(current, []).append(line)
    return blocks


def _save_logins(created) -> None:
    """One block per database: `ops demo` run against another database adds its own, never mixes them."""
    path = logins_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    blocks = _read_blocks(path)
    blocks.setdefault(_database(), []).extend(f"{u:<18} {p:<24} {role}" for u, role, p in created)
    text = "".join(
        HEADER + name + "\n" + "".join(line + "\n" for line in lines) + "\n" for name, lines in blocks.items()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def load_demo(records: int, echo=print) -> None:
    agencies, teams = _ensure_orgs(echo)
    _ensure_counterparts(agencies)
    created = _ensure_users(agencies, teams)
    if created:
        _save_logins(created)
    else:
        echo("demo users exist already")
    equipment_demo.load_register(echo)
    _load_records(records, agencies, echo)
    equipment_demo.load_use(echo)
    # the logins last, once, so that `make run` can print the address right after them
    kept = _read_blocks(logins_file()).get(_database(), [])
    if created:
        echo(f"demo logins of {_database()} (user name, password, role; new passwords kept in {logins_file()}):")
    else:
        echo(f"demo logins of {_database()} (user name, password, role) as kept in {logins_file()}:")
    for line in kept or ["(none kept: the users were created before this file existed)"]:
        echo(f"  {line}")


def _ensure_counterparts(agencies: dict[str, Agency]) -> None:
    db = session()
    for code, partner in COUNTERPART_PAIRS:
        national, office = agencies.get(code), agencies.get(partner)
        if national and office and not liaison.is_counterpart(db, national.id, office.id):
            liaison.link_counterparts(db, national, office)


def _load_records(records: int, agencies, echo) -> None:
    load_generated(records, agencies, echo)
