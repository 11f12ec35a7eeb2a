"""The data model, in SQLModel's family style (Base -> table model).

Timestamps are timezone-aware and stored in UTC (SQLModel's UTCDateTime
refuses naive values, so local time can never slip in). Codes come from ops.vocab; their labels never reach
the database.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Index, Numeric, Text, UniqueConstraint, event, func
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from ops import clock, normalize, vocab


def local_name_sql(model):
    """SQL: an agency's or team's name in the reader's language, `name` where that one is blank
    (vocab.local_name says the same in Python)."""
    column = getattr(model, f"name_{vocab.reader_language()}")
    return func.coalesce(func.nullif(column, ""), model.name)


def utcnow() -> datetime:
    """Now, in UTC, from the application's clock (which tests can freeze)."""
    return clock.now()


class Versioned(SQLModel):
    """Optimistic locking: every UPDATE says "WHERE version = <the one I read>" and bumps it, so a save
    over a newer change fails in the database (StaleDataError) instead of overwriting it."""

    version: int = Field(default=1)

    @declared_attr
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


# --- organisations -------------------------------------------------------------


class AgencyBase(SQLModel):
    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=120, unique=True)


class Agency(AgencyBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # a programme organisation (donor's implementing body), not a law-enforcement agency:
    # its people read the equipment register and aggregate reports, never a record
    is_programme: bool = False
    # the name in each working language (`name` stays the unique key the importer and the demo match)
    name_uz: str = Field(default="", max_length=120)
    name_ru: str = Field(default="", max_length=120)
    name_en: str = Field(default="", max_length=120)
    country: str = Field(default="UZ", max_length=2)
    # a counterpart office of a neighbouring country: never reads a record (ops.policy.is_foreign_partner)
    is_foreign_partner: bool = False
    receive_language: str = Field(default="en", max_length=2)  # what it receives is written in ru or en
    created_at: datetime = Field(default_factory=utcnow)


class TeamBase(SQLModel):
    code: str = Field(max_length=24, unique=True, index=True)
    name: str = Field(max_length=120, unique=True)
    kind: str = Field(max_length=8, default="imt")


class Team(TeamBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name_uz: str = Field(default="", max_length=120)
    name_ru: str = Field(default="", max_length=120)
    name_en: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow)


class TeamMember(SQLModel, table=True):
    """Officers of several agencies may belong to one team."""

    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")


class UserBase(SQLModel):
    username: str = Field(max_length=64, unique=True, index=True)
    full_name: str = Field(max_length=120)
    role: str = Field(max_length=24)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    is_sysadmin: bool = False
    is_active: bool = True
    locale: str | None = Field(default=None, max_length=8)
    timezone: str = Field(default="Asia/Tashkent", max_length=64)


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    password_changed_at: datetime = Field(default_factory=utcnow)
    failed_logins: int = 0
    locked_at: datetime | None = None
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_enabled: bool = False
    totp_last_counter: int | None = None
    created_at: datetime = Field(default_factory=utcnow)

    # Flask-Login protocol. The id handed to Flask-Login is the server-side
    # session's id, not the user's, so that ending that row ends the login.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        # set by the session loader on the instance, never stored
        return getattr(self, "_auth_session_id", None)


class LoginAttempt(SQLModel, table=True):
    """One sign-in, two-factor or confirmation attempt on an existing account, right or wrong.

    The per-account limit counts these rows, so it holds across every server process without
    Redis; rows older than the longest window are deleted as new ones come.
    """

    __table_args__ = (Index("ix_loginattempt_user_at", "user_id", "attempted_at"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    attempted_at: datetime = Field(default_factory=utcnow)


class RecoveryCode(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=255)
    used_at: datetime | None = None


class UserSession(SQLModel, table=True):
    """A sign-in, kept on the server so that logout and disabling end it for real."""

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=255)
    second_factor_at: datetime | None = None
    reauthenticated_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str | None = Field(default=None, max_length=32)


class ApiToken(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=12)
    read_only: bool = True
    expires_at: datetime
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


# --- operations and what they seized ---------------------------------------------


class OperationBase(SQLModel):
    title: str = Field(max_length=200)
    op_type: str = Field(max_length=32)
    started_at: datetime = Field(index=True)
    ended_at: datetime | None = None
    place_code: str | None = Field(default=None, max_length=32)
    place_name: str = Field(max_length=160, index=True)
    region: str = Field(default="", max_length=80, index=True)
    lat: float | None = None
    lon: float | None = None
    lead_team_id: int | None = Field(default=None, foreign_key="team.id")
    narrative: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    visibility: str = Field(default="partners", max_length=16)
    # identities to all readers of an agency/all record; a partners record names them per agency
    share_persons: bool = False
    handling_code: str = Field(default="H0", max_length=2)  # vocab.HANDLING_CODES
    handling_conditions: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # H3's text
    grading: str = Field(default="", max_length=2)  # vocab.GRADINGS ("B2"); "" is ungraded


class Operation(OperationBase, Versioned, table=True):
    __table_args__ = (
        Index("ix_operation_access", "owner_agency_id", "status", "visibility"),
        # one agency's records of a period (the dashboard's teams, the programme report): migration 0021
        Index("ix_operation_agency_started", "owner_agency_id", "started_at"),
        UniqueConstraint("owner_agency_id", "import_key", name="uq_operation_import_key"),
    )
    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=40, unique=True, index=True)
    status: str = Field(default="draft", max_length=16, index=True)
    owner_agency_id: int = Field(foreign_key="agency.id")  # indexed first in ix_operation_access and _agency_started
    owner_team_id: int = Field(foreign_key="team.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    return_comment: str | None = Field(default=None, sa_column=Column(Text))
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    approved_by_id: int | None = Field(default=None, foreign_key="user.id")
    import_key: str | None = Field(default=None, max_length=64)  # operation_ref of an imported file
    # silent: gives no hit to other agencies; its owner's supervisors are told of each such lookup
    silent: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # set and lifted by a supervisor of the owning agency: retention keeps a held record's identities
    legal_hold: bool = False
    legal_hold_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    legal_hold_at: datetime | None = None
    legal_hold_by_id: int | None = None
    # when ops retention apply replaced the persons' identities with the marker (ops/retention.py)
    identities_removed_at: datetime | None = None


class OperationAgency(SQLModel, table=True):
    """Agencies that took part in an operation."""

    operation_id: int = Field(foreign_key="operation.id", primary_key=True, ondelete="CASCADE")
    agency_id: int = Field(foreign_key="agency.id", primary_key=True, index=True)


class OperationShare(SQLModel, table=True):
    """Agencies a `partners` record is shared with (the participants by default)."""

    operation_id: int = Field(foreign_key="operation.id", primary_key=True, ondelete="CASCADE")
    agency_id: int = Field(foreign_key="agency.id", primary_key=True, index=True)
    persons: bool = False  # this agency gets the persons' identities too


class OperationIdentityGrant(SQLModel, table=True):
    """An agency that gets the identities of an `agency`/`all` record whose identities are not for all readers."""

    operation_id: int = Field(foreign_key="operation.id", primary_key=True, ondelete="CASCADE")
    agency_id: int = Field(foreign_key="agency.id", primary_key=True, index=True)


class OperationHitAgency(SQLModel, table=True):
    """An agency that gets hits of an H2/H3 record (the record's "may see hits" list; empty by default)."""

    operation_id: int = Field(foreign_key="operation.id", primary_key=True, ondelete="CASCADE")
    agency_id: int = Field(foreign_key="agency.id", primary_key=True, index=True)


class AccessRequest(Versioned, table=True):
    """A reader's request, from a hit, to read a record of another agency (ops.hits.requests).

    status: open -> granted | partial | refused, or withdrawn by the requester. Overdue is
    not stored: it is computed when read (open and due_at passed).
    """

    __table_args__ = (Index("ix_accessrequest_owner_status", "owner_agency_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id", index=True, ondelete="CASCADE")
    owner_agency_id: int = Field(foreign_key="agency.id")
    requester_id: int = Field(foreign_key="user.id", index=True)
    requester_agency_id: int = Field(foreign_key="agency.id", index=True)
    match_kind: str = Field(max_length=12)  # what the hit matched on: plate, document, phone, name
    purpose: str = Field(max_length=300)
    case_number: str = Field(default="", max_length=64)
    status: str = Field(default="open", max_length=16)
    due_at: datetime
    created_at: datetime = Field(default_factory=utcnow)
    answered_at: datetime | None = None
    answered_by_id: int | None = Field(default=None, foreign_key="user.id")
    answer_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class AccessGrant(SQLModel, table=True):
    """A per-record, per-agency read grant, answering an access request; checked in policy's visibility SQL."""

    __table_args__ = (Index("ix_accessgrant_record_agency", "operation_id", "agency_id"),)
    id: int | None = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id", ondelete="CASCADE")
    agency_id: int = Field(foreign_key="agency.id")
    persons: bool = False  # with the persons' identities
    until: datetime | None = None  # None: no end
    request_id: int | None = Field(default=None, foreign_key="accessrequest.id", ondelete="SET NULL")
    granted_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class RefCounter(SQLModel, table=True):
    """Last reference number given out per team and year (IMT-TER-2026-0042)."""

    team_id: int = Field(foreign_key="team.id", primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0


class SeizureBase(SQLModel):
    category: str = Field(max_length=16)
    commodity: str = Field(max_length=40)  # indexed first in ix_seizure_commodity_date (migration 0004)
    quantity: Decimal = Field(sa_column=Column(Numeric(18, 3), nullable=False))
    unit: str = Field(max_length=12)
    concealment: str = Field(default="other", max_length=32)
    concealment_detail: str = Field(default="", max_length=200)
    conveyance: str = Field(default="other", max_length=24, index=True)
    detection: str = Field(default="other", max_length=24)
    origin_country: str | None = Field(default=None, max_length=2)
    transit_countries: str = Field(default="", max_length=64)  # space-separated ISO codes
    destination_country: str | None = Field(default=None, max_length=2)


class Seizure(SeizureBase, table=True):
    __table_args__ = (
        Index("ix_seizure_operation", "operation_id"),
        # duplicate candidates (ops/events/candidates.py): one seek per neighbouring size, then a time range
        Index("ix_seizure_duplicates", "commodity", "size_bucket", "occurred_at"),
        UniqueConstraint("owner_agency_id", "import_key", name="uq_seizure_import_key"),
    )
    id: int | None = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id", ondelete="CASCADE")
    # copied from the operation so that a search can filter and sort seizures
    # without a join; kept in step by the services that write operations
    owner_agency_id: int = Field(foreign_key="agency.id")
    occurred_at: datetime = Field(index=True)
    seizing_agency_id: int | None = Field(default=None, foreign_key="agency.id")
    kg_equivalent: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 6)))
    import_key: str | None = Field(default=None, max_length=64)  # seizure_id of an imported file
    created_at: datetime = Field(default_factory=utcnow)
    # Copies of the operation's access and place columns, so that searches filter,
    # count and group seizures without a join. Database triggers (migration 0004)
    # write them, and owner_agency_id too, on every write: code never sets them.
    op_status: str | None = Field(default=None, max_length=16)
    op_visibility: str | None = Field(default=None, max_length=16)
    op_team_id: int | None = Field(default=None)
    op_share_persons: bool | None = Field(default=None)
    op_handling_code: str | None = Field(default=None, max_length=2)
    op_place: str | None = Field(default=None, max_length=160)
    op_region: str | None = Field(default=None, max_length=80)
    # Set on a linked report that is not its seizure event's primary: the primary's id (ops/events).
    # Totals skip such a report where the reader may see the primary too (policy.counted_seizures).
    # No foreign key: SQLite cannot add one to a table with rows without a batch copy (migration 0010).
    event_primary_id: int | None = Field(default=None, index=True)
    # size_bucket(kg-equivalent, else quantity): seizures within 10 % of each other are at most one bucket
    # apart, so possible duplicates are found by index. Written by every writer (see the listener below).
    size_bucket: int | None = Field(default=None)


SIZE_BUCKET_RATIO = 1.25  # wider than the 10 % of the duplicate rule: a pair is in one bucket or two neighbours


def size_bucket(kg_equivalent, quantity) -> int | None:
    """The bucket of a seizure's size on a logarithmic scale: its kg-equivalent's, else its quantity's."""
    size = kg_equivalent if kg_equivalent is not None else quantity
    if size is None or size <= 0:
        return None
    return math.floor(math.log(float(size)) / math.log(SIZE_BUCKET_RATIO))


@event.listens_for(Seizure, "before_insert")
@event.listens_for(Seizure, "before_update")
def _size_bucket(_mapper, _connection, seizure: Seizure) -> None:
    """Whoever writes a seizure through the ORM, its size bucket follows its figures (bulk writers set it)."""
    seizure.size_bucket = size_bucket(seizure.kg_equivalent, seizure.quantity)


class SeizureLink(Versioned, table=True):
    """Two reports that may be, or are, one seizure event: candidate -> proposed -> confirmed, or different.

    The pair is stored once, lower seizure id first. `matched` says (JSON) which figures made it a
    candidate. A confirmed link may be unlinked later (status `unlinked`), which recounts.
    """

    __table_args__ = (UniqueConstraint("seizure_id", "other_id", name="uq_seizurelink_pair"),)
    id: int | None = Field(default=None, primary_key=True)
    seizure_id: int = Field(foreign_key="seizure.id", index=True, ondelete="CASCADE")
    other_id: int = Field(foreign_key="seizure.id", index=True, ondelete="CASCADE")
    # the two reports' owning agencies (copied: they never change), for the policy and the queues
    agency_id: int = Field(foreign_key="agency.id", index=True)
    other_agency_id: int = Field(foreign_key="agency.id", index=True)
    status: str = Field(default="candidate", max_length=16, index=True)
    found_at: str = Field(default="", max_length=16)  # submit, approve, import, proposal
    matched: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    proposed_by_id: int | None = Field(default=None, foreign_key="user.id")
    proposed_agency_id: int | None = Field(default=None, foreign_key="agency.id")
    proposed_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def agency_ids(self) -> frozenset[int]:
        return frozenset({self.agency_id, self.other_agency_id})


class PersonBase(SQLModel):
    full_name: str = Field(max_length=160)
    birth_date: date | None = None
    nationality: str | None = Field(default=None, max_length=2)
    document_type: str | None = Field(default=None, max_length=24)
    document_number: str | None = Field(default=None, max_length=40)
    # E.164 numbers separated by spaces (ops.phones); several per person
    phones: str = Field(default="", max_length=100)
    role: str = Field(default="other", max_length=24)
    arrested: bool = False


class Person(PersonBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id", index=True, ondelete="CASCADE")
    seizure_id: int | None = Field(default=None, foreign_key="seizure.id", ondelete="SET NULL")
    name_norm: str = Field(max_length=160, index=True)
    document_norm: str | None = Field(default=None, max_length=40, index=True)
    # normalize.spellings(full_name): the search index's persons' words in both alphabets (migration 0008)
    name_spellings: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _spell_name(_mapper, _connection, person: Person) -> None:
    """Whoever writes a person through the ORM, its spellings follow its name (bulk writers set them)."""
    person.name_spellings = normalize.spellings(person.full_name)


class PersonIdentityHash(SQLModel, table=True):
    """A keyed hash (HMAC with SECRET_KEY) of a removed identity's normal form, kept for correlations only
    when OPS_RETENTION_KEEP_HASHES says so (ops/retention.py); the identity itself is gone."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)  # name, document, birth_date
    hash: str = Field(max_length=64, index=True)


class VehicleBase(SQLModel):
    plate: str = Field(max_length=32)
    country: str | None = Field(default=None, max_length=2)
    make_model: str = Field(default="", max_length=80)
    vehicle_type: str = Field(default="other", max_length=24)


class Vehicle(VehicleBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id", index=True, ondelete="CASCADE")
    seizure_id: int | None = Field(default=None, foreign_key="seizure.id", ondelete="SET NULL")
    plate_norm: str = Field(max_length=32, index=True)


class IdentifierKey(SQLModel, table=True):
    """One normalised identifier of a record: where hits and phone lookups come from (ops.identifier_index).

    kind: "plate" (normalize.identifier), "document" (normalize.identifier), "phone" (E.164) or
    "name" (names.key of one part of a person's name; the parts of one person share person_id).
    Rebuilt per operation from its persons and vehicles whenever they change.
    """

    __table_args__ = (Index("ix_identifierkey_lookup", "kind", "value"),)
    id: int | None = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id", index=True, ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="CASCADE")
    kind: str = Field(max_length=12)
    value: str = Field(max_length=64)


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id", index=True, ondelete="CASCADE")
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=64)
    size: int
    sha256: str = Field(max_length=64, index=True)
    storage_key: str = Field(max_length=128)
    thumbnail_key: str | None = Field(default=None, max_length=128)
    handling_code: str | None = Field(default=None, max_length=2)  # None: as the record
    grading: str | None = Field(default=None, max_length=2)  # None: as the record
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class Revision(SQLModel, table=True):
    """One saved change of an operation: who changed which field, old -> new (JSON list)."""

    id: int | None = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    action: str = Field(max_length=32)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    changes: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))


class SavedSearch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    query: str = Field(sa_column=Column(Text, nullable=False))
    last_seen_at: datetime = Field(default_factory=utcnow)
    created_at: datetime = Field(default_factory=utcnow)
    news: bool = False  # "tell me about new records": approvals and imports write inbox items (ops.search.news)


class ImportBatch(SQLModel, table=True):
    """One checked or imported file (ops/importer); agency_id is the owning agency of its records."""

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    filename: str = Field(max_length=200)
    sha256: str = Field(max_length=64)
    rows: int = 0
    operations_created: int = 0
    seizures_created: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    # checked, refused (bad rows), queued, checking, writing, done, failed
    status: str = Field(default="done", max_length=16)
    dry_run: bool = False
    rows_done: int = 0  # progress of the running phase
    bad_rows: int = 0
    error_count: int = 0
    rows_skipped: int = 0  # imported before: natural keys already present
    operations_extended: int = 0
    persons_created: int = 0
    vehicles_created: int = 0
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    report: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # JSON: the bad rows
    updated_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def owner_agency_id(self) -> int:
        """The agency whose records the batch holds (what policy scopes compare)."""
        return self.agency_id


class Watch(SQLModel, table=True):
    """A user watches an identifier (ops.watch): plate, document number, phone number or full name.

    value: the identifier's normal form (normalize.identifier, E.164, or the name's keys sorted and
    joined by spaces); typed: as the user wrote it, for their list.
    """

    __table_args__ = (UniqueConstraint("user_id", "kind", "value", name="uq_watch_user_value"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=12)
    value: str = Field(max_length=160)
    typed: str = Field(max_length=160)
    created_at: datetime = Field(default_factory=utcnow)


class InboxItem(SQLModel, table=True):
    """One item of a user's inbox (ops.inbox): written by the service of the event that causes it.

    `kind` names the event; `params` (JSON) holds what its message needs, which is
    translated when shown, so an item reads in the reader's language. `operation_id`
    is set only where the user may open the record; `link` is the page it opens.
    """

    __table_args__ = (Index("ix_inboxitem_user_read", "user_id", "read_at"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)
    params: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    link: str = Field(default="", max_length=200)
    operation_id: int | None = Field(default=None, foreign_key="operation.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None


# --- audit trail -------------------------------------------------------------------


class AuditHead(SQLModel, table=True):
    """The chain's tip. Updating this one row first serialises audit writers."""

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    last_hash: str = Field(default="0" * 64, max_length=64)


class AuditEvent(SQLModel, table=True):
    """Append-only: the database refuses UPDATE and DELETE (see the migration)."""

    __table_args__ = (Index("ix_audit_object", "object_type", "object_id"),)
    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True)
    ts: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, index=True)
    username: str = Field(default="", max_length=64)
    agency_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=40, index=True)
    object_type: str = Field(default="", max_length=32)
    object_id: str = Field(default="", max_length=64)
    object_agency_id: int | None = Field(default=None, index=True)
    outcome: str = Field(default="ok", max_length=16)
    request_id: str = Field(default="", max_length=36)
    ip: str = Field(default="", max_length=64)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
