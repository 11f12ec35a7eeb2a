"""Test helpers for the search: a deterministic generated world and an independent oracle.

`populate()` writes a few thousand seizures of varied agencies, teams,
statuses, visibilities, persons and vehicles through the ORM (so the
database's triggers index them as they would any writer's rows). The
`Oracle` reads the raw tables back with plain SQL and answers "which seizures
should this user find" in Python, re-implementing the access rule and the
word matching from their descriptions, not from ops/search.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from ops import normalize, vocab
from ops.app import create_app
from ops.models import (
    Agency,
    Operation,
    OperationAgency,
    OperationShare,
    Person,
    Seizure,
    Team,
    TeamMember,
    User,
    Vehicle,
)
from tests.support.accounts import PASSWORD_HASH
from tests.support.databases import ON_POSTGRES, empty_postgres

AGENCIES = ["SCC", "SSS", "MIA", "SBS", "NDCC"]
OWNERS = ["SCC", "SSS", "MIA", "SBS"]
TEAMS = ["IMT-TER", "BLO-AYR", "IMT-TAS", "HQ-ANL"]
PLACES = [p for p in vocab.PLACES[:8]]
COMMODITIES = [
    ("heroin", "drugs", "kg"),
    ("opium", "drugs", "kg"),
    ("cannabis_resin", "drugs", "kg"),
    ("methamphetamine", "drugs", "g"),
    ("tramadol", "drugs", "tablets"),
    ("cash_usd", "cash", "USD"),
    ("pistol", "weapons", "pieces"),
    ("acetic_anhydride", "precursors", "l"),
]
CONVEYANCES = ["truck", "car", "train", "pedestrian", "postal"]
CONCEALMENTS = ["false_floor", "fuel_tank", "spare_tyre", "cargo", "body_carry"]
DETECTIONS = ["x_ray", "k9", "profiling", "intelligence"]
COUNTRIES = ["AF", "TJ", "KZ", "RU", "UZ", "TR", None]
FIRST = ["Botir", "Javlon", "Farrukh", "Dilnoza", "Aziz", "Merdan", "Kubanych", "Zarina", "Oleg", "Ivan"]
LAST = ["Akhmedov", "Ismoilov", "Boboev", "Karimova", "Rahimov", "Berdiyev", "Asanov", "Petrov", "Sidorov"]
SENTENCES = [
    "Mobile team inspected a {conv} at {place} and found {commodity} hidden in the {conc}.",
    "Risk profiling flagged a cargo {conv} on the route; inspection uncovered {commodity}.",
    "Acting on a tip-off, officers stopped a {conv} near {place}.",
    "Изъято вещество, предположительно {ru}, в ходе досмотра.",
    "The driver {name} was detained at the scene.",
    "{name} claimed to be unaware of the contents.",
]
RU = {"heroin": "героин", "opium": "опий", "cannabis_resin": "гашиш"}


def _plate(rng: random.Random) -> str:
    return f"{rng.randint(1, 95):02d} {rng.choice('ABCDEKMX')} {rng.randint(100, 999)} {rng.choice(['BC', 'MA', 'KA'])}"


@dataclass
class World:
    agencies: dict[str, Agency]
    teams: dict[str, Team]
    users: dict[str, User]
    plates: list[str] = field(default_factory=list)


def base_world(db: Session, password_hash: str) -> World:
    agencies = {code: Agency(code=code, name=f"Agency {code}") for code in AGENCIES}
    teams = {code: Team(code=code, name=f"Team {code}") for code in TEAMS}
    db.add_all([*agencies.values(), *teams.values()])
    db.flush()
    users = {}
    for key, agency, role, team_codes in [
        ("ndcc_analyst", "NDCC", "analyst", ["HQ-ANL"]),
        ("scc_analyst", "SCC", "analyst", ["HQ-ANL"]),
        ("scc_supervisor", "SCC", "supervisor", []),
        ("scc_officer", "SCC", "officer", ["IMT-TER"]),
        ("mia_lead", "MIA", "lead", ["IMT-TAS"]),
        ("sss_auditor", "SSS", "auditor", []),
        ("sbs_admin", "SBS", "admin", []),
    ]:
        user = User(
            username=key,
            full_name=key.replace("_", " ").title(),
            role=role,
            agency_id=agencies[agency].id,
            password_hash=password_hash,
        )
        db.add(user)
        db.flush()
        db.add_all([TeamMember(team_id=teams[t].id, user_id=user.id) for t in team_codes])
        users[key] = user
    db.commit()
    return World(agencies, teams, users)


def populate(db: Session, world: World, operations: int = 1400, seed: int = 7) -> None:
    rng = random.Random(seed)
    world.plates = [_plate(rng) for _ in range(60)]
    names = [
        (f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"{rng.choice(['AA', 'FA', 'AB'])}{rng.randint(1000000, 9999999)}")
        for _ in range(45)
    ]
    start = datetime(2021, 1, 1, tzinfo=UTC)
    for n in range(operations):
        _one_operation(db, world, rng, n, start, names)
        if n % 200 == 199:
            db.commit()
    db.commit()


def _status_and_visibility(rng: random.Random) -> tuple[str, str]:
    status = rng.choices(["approved", "draft", "submitted", "returned"], [80, 10, 5, 5])[0]
    return status, rng.choices(["team", "agency", "partners", "all"], [10, 40, 35, 15])[0]


def _one_operation(db, world: World, rng: random.Random, n: int, start: datetime, names) -> None:
    owner = rng.choice(OWNERS)
    place = rng.choice(PLACES)
    status, visibility = _status_and_visibility(rng)
    when = start + timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
    if n % 97 == 0:  # on the eve of a new year in UTC, already the new year in Tashkent
        when = datetime(rng.choice([2022, 2023, 2024]), 12, 31, 21, 30, tzinfo=UTC)
    persons = rng.sample(names, rng.choice([0, 1, 1, 2]))
    commodity, category, unit = rng.choice(COMMODITIES)
    conv, conc = rng.choice(CONVEYANCES), rng.choice(CONCEALMENTS)
    words = {
        "conv": conv,
        "place": place.name,
        "commodity": commodity.replace("_", " "),
        "conc": conc.replace("_", " "),
        "ru": RU.get(commodity, "вещество"),
        "name": persons[0][0] if persons else "the courier",
    }
    narrative = " ".join(s.format(**words) for s in rng.sample(SENTENCES, 3))
    team = world.teams[rng.choice(["IMT-TER", "BLO-AYR", "IMT-TAS"])]
    op = Operation(
        ref=f"GEN-{n:05d}",
        title=f"Joint raid {n}",
        op_type="joint_raid",
        started_at=when,
        place_code=place.code,
        place_name=place.name,
        region=place.region,
        narrative=narrative,
        status=status,
        visibility=visibility,
        share_persons=rng.random() < 0.3,
        owner_agency_id=world.agencies[owner].id,
        owner_team_id=team.id,
        lead_team_id=team.id,
    )
    db.add(op)
    db.flush()
    db.add(OperationAgency(operation_id=op.id, agency_id=op.owner_agency_id))
    if visibility == "partners":
        for partner in rng.sample([a for a in AGENCIES if a != owner], rng.choice([1, 2])):
            # identities per partner follow the record's switch, as migration 0005 made of old records
            db.add(OperationShare(operation_id=op.id, agency_id=world.agencies[partner].id, persons=op.share_persons))
    for k in range(rng.choice([1, 1, 2, 3])):
        if k:
            commodity, category, unit = rng.choice(COMMODITIES)
        quantity = Decimal(str(round(rng.lognormvariate(0.5, 1.2), 3)))
        transit = rng.choice(["", "", "TJ", "KZ UZ"])
        db.add(
            Seizure(
                operation_id=op.id,
                owner_agency_id=op.owner_agency_id,
                occurred_at=when + timedelta(minutes=10 * k),
                category=category,
                commodity=commodity,
                quantity=quantity,
                unit=unit,
                kg_equivalent=vocab.kg_equivalent(commodity, unit, quantity),
                conveyance=conv,
                concealment=conc,
                detection=rng.choice(DETECTIONS),
                origin_country=rng.choice(COUNTRIES),
                transit_countries=transit,
                destination_country=rng.choice(COUNTRIES),
            )
        )
    for name, document in persons:
        db.add(
            Person(
                operation_id=op.id,
                full_name=name,
                name_norm=normalize.name(name),
                document_number=document,
                document_norm=normalize.identifier(document),
                role="driver",
            )
        )
    if rng.random() < 0.6:
        plate = rng.choice(world.plates[:10] if rng.random() < 0.5 else world.plates)
        typed = plate if rng.random() < 0.5 else plate.replace(" ", "").lower()
        db.add(Vehicle(operation_id=op.id, plate=typed, plate_norm=normalize.identifier(typed)))


# --- the oracle -------------------------------------------------------------------------

_WORDS = re.compile(r"[^\W_]+")


def words(value) -> list[str]:
    return [w.lower() for w in _WORDS.findall(value or "")]


class Oracle:
    """The expected answers, from the raw tables and the rules as the README states them."""

    def __init__(self, db: Session):
        rows = lambda sql: [dict(r._mapping) for r in db.execute(text(sql))]  # noqa: E731
        self.operations = {r["id"]: r for r in rows("SELECT * FROM operation")}
        self.seizures = rows("SELECT * FROM seizure")
        shares = rows("SELECT * FROM operationshare")
        self.shares = {(r["operation_id"], r["agency_id"]) for r in shares}
        self.persons_shares = {(r["operation_id"], r["agency_id"]) for r in shares if r["persons"]}
        self.members = {}
        for r in rows("SELECT * FROM teammember"):
            self.members.setdefault(r["user_id"], set()).add(r["team_id"])
        self.persons, self.vehicles = {}, {}
        for r in rows("SELECT * FROM person"):
            self.persons.setdefault(r["operation_id"], []).append(r)
        for r in rows("SELECT * FROM vehicle"):
            self.vehicles.setdefault(r["operation_id"], []).append(r)
        self.agency_codes = {r["id"]: r["code"] for r in rows("SELECT id, code FROM agency")}
        self.team_codes = {r["id"]: r["code"] for r in rows("SELECT id, code FROM team")}

    def visible(self, user, op) -> bool:
        if user.role not in ("officer", "lead", "supervisor", "analyst", "auditor"):
            return False
        if op["owner_team_id"] in self.members.get(user.id, set()):
            return True
        own = op["owner_agency_id"] == user.agency_id
        if user.role == "supervisor" and own:
            return True
        if op["status"] != "approved":
            return False
        return (
            op["visibility"] == "all"
            or (op["visibility"] == "agency" and own)
            or (op["visibility"] == "partners" and (own or (op["id"], user.agency_id) in self.shares))
        )

    def persons_visible(self, user, op) -> bool:
        """The owner; a partners record's agencies ticked "with identities"; else identities to all readers."""
        if op["owner_agency_id"] == user.agency_id:
            return True
        if op["visibility"] == "partners":
            return (op["id"], user.agency_id) in self.persons_shares
        return bool(op["share_persons"])

    def visible_seizures(self, user) -> list[dict]:
        return [s for s in self.seizures if self.visible(user, self.operations[s["operation_id"]])]

    def counts(self, user, seizure: dict, commodities=()) -> bool:
        """The counting rule as the README states it: a search word naming a commodity counts only seizures
        of that commodity; a linked report that is not its event's primary counts only for a reader who
        may not see the primary."""
        if commodities and seizure["commodity"] not in commodities:
            return False
        primary = seizure.get("event_primary_id")
        if primary is None:
            return True
        return not self.visible(user, self.operations[self.seizure_by_id[primary]["operation_id"]])

    @property
    def seizure_by_id(self) -> dict[int, dict]:
        return {s["id"]: s for s in self.seizures}

    def identity_words(self, op_id: int) -> set[str]:
        found = set()
        for p in self.persons.get(op_id, []):
            found.update(w for w in words(f"{p['full_name']} {p['document_number'] or ''}") if len(w) > 1)
        return found

    def body_words(self, seizure: dict) -> list[str]:
        op = self.operations[seizure["operation_id"]]
        fields = [
            op["ref"],
            op["title"],
            op["place_name"],
            op["region"],
            op["narrative"],
            seizure["category"],
            seizure["commodity"],
            seizure["concealment"],
            seizure["concealment_detail"],
            seizure["conveyance"],
            seizure["detection"],
        ]
        fields += [
            "cty" + c
            for c in [seizure["origin_country"], *seizure["transit_countries"].split(), seizure["destination_country"]]
            if c
        ]
        fields += [f"{v['plate']} {v['plate_norm']}" for v in self.vehicles.get(op["id"], [])]
        hidden = self.identity_words(op["id"])
        return [w for w in words(" ".join(fields)) if w not in hidden]

    def person_words(self, seizure: dict) -> list[str]:
        return words(
            " ".join(
                f"{p['full_name']} {p['document_number'] or ''} {p['document_norm'] or ''}"
                for p in self.persons.get(seizure["operation_id"], [])
            )
        )

    def finds(self, user, seizure: dict, phrases_per_term: list[list[tuple[str, ...]]], prefix=()) -> bool:
        """Every term: one of its phrases occurs in the words the user may search."""
        op = self.operations[seizure["operation_id"]]
        texts = [self.body_words(seizure)]
        if self.persons_visible(user, op):
            texts.append(self.person_words(seizure))
        for n, phrases in enumerate(phrases_per_term):
            if not any(_contains(t, phrase, n in prefix) for t in texts for phrase in phrases):
                return False
        return True


def _contains(sequence: list[str], phrase: tuple[str, ...], prefix: bool) -> bool:
    size = len(phrase)
    for i in range(len(sequence) - size + 1):
        window = sequence[i : i + size]
        if window[:-1] == list(phrase[:-1]) and (
            window[-1].startswith(phrase[-1]) if prefix else window[-1] == phrase[-1]
        ):
            return True
    return False


def world_app(database_url: str, folder, operations: int = 1400):
    """(app, world, oracle): an app on a copy of the migrated test database (or the emptied PostgreSQL one)
    holding a generated world of `operations` records of several agencies, statuses and visibilities."""
    if ON_POSTGRES:
        empty_postgres(database_url)
        url = database_url
    else:
        shutil.copyfile(database_url.removeprefix("sqlite:///"), folder / "world.sqlite3")
        url = f"sqlite:///{folder / 'world.sqlite3'}"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "t",
            "WTF_CSRF_ENABLED": False,
            "INSTANCE_PATH": str(folder / "instance"),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context(), Session(app.extensions["ops_engine"], expire_on_commit=False) as db:
        world = base_world(db, PASSWORD_HASH)
        populate(db, world, operations)
        oracle = Oracle(db)
    return app, world, oracle
