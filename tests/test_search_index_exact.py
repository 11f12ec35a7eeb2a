"""The full-text index stays exactly what a fresh build from the records would be, through every kind of write.

On SQLite the index keeps no copy of the text (migration 0019_fts_lean: FTS5
external content over the views that define the documents), so the triggers
must take a document out with the very words it was indexed with: a wrong word
would leave a stale entry that finds a record by a word it no longer holds, or
corrupt the index. Each test writes the way the application does (forms'
ORM writes, the importer's bulk load, retention's redaction) and then checks:

- on SQLite, FTS5's own 'integrity-check' of both tables against their views, and
  that every indexed word, row, column and position (fts5vocab) equals those of an
  ordinary FTS5 table filled from the views now;
- on PostgreSQL, that every seizure's stored tsvectors equal those computed from
  the view now.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from ops import normalize
from ops.db import make_engine
from ops.migrate import alembic_config, downgrade, upgrade
from ops.models import Operation, Person, Seizure, Vehicle
from tests.support.databases import ON_POSTGRES
from tests.support.importing import generated_file, make_demo_orgs, read_rows, write_rows

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"
OLD = datetime(2015, 6, 1, 8, 0, tzinfo=UTC)
LEAN = "0019_fts_lean"


def _instances(db, schema: str, table: str) -> list[tuple]:
    """Every (word, row, column, position) an FTS5 table's index holds."""
    db.execute(text(f"CREATE VIRTUAL TABLE temp.vocab USING fts5vocab({schema}, {table}, instance)"))
    rows = db.execute(text("SELECT term, doc, col, offset FROM temp.vocab ORDER BY 1, 2, 3, 4")).all()
    db.execute(text("DROP TABLE temp.vocab"))
    return [tuple(r) for r in rows]


def _fresh_instances(db, columns: str, source: str) -> list[tuple]:
    """The instances of an ordinary FTS5 table filled from `source` now: what a rebuilt index holds."""
    db.execute(text(f"CREATE VIRTUAL TABLE temp.fresh USING fts5({columns}, {TOKENIZE})"))
    db.execute(text(f"INSERT INTO temp.fresh (rowid, {columns}) {source}"))
    rows = _instances(db, "temp", "fresh")
    db.execute(text("DROP TABLE temp.fresh"))
    return rows


def _assert_exact_sqlite(db) -> None:
    for table in ("seizure_fts", "person_fts"):
        # rank 1: also compare the index with what the view returns now
        db.execute(text(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)"))
    seizures = "SELECT seizure_id, body, persons FROM seizure_search_source"
    assert _instances(db, "main", "seizure_fts") == _fresh_instances(db, "body, persons", seizures)
    persons = "SELECT person_id, words FROM person_search_source"
    assert _instances(db, "main", "person_fts") == _fresh_instances(db, "words", persons)


def _assert_exact_postgres(db) -> None:
    stale = db.execute(
        text(
            "SELECT coalesce(s.seizure_id, f.seizure_id) FROM seizure_search s FULL JOIN "
            "(SELECT seizure_id, search_words(body) AS body_tsv, search_words(persons) AS persons_tsv "
            "FROM seizure_search_source) f ON f.seizure_id = s.seizure_id "
            "WHERE (s.body_tsv, s.persons_tsv) IS DISTINCT FROM (f.body_tsv, f.persons_tsv)"
        )
    ).all()
    assert stale == []


def assert_index_exact(db) -> None:
    db.commit()
    db.expire_all()
    if ON_POSTGRES:
        _assert_exact_postgres(db)
    else:
        _assert_exact_sqlite(db)
    db.rollback()  # the temporary tables go with the test's connection


def _indexed_seizures(db) -> int:
    table = "seizure_search" if ON_POSTGRES else "seizure_fts_docsize"
    return db.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def _person(operation_id: int, name: str, document: str = "", phones: str = "") -> Person:
    return Person(
        operation_id=operation_id,
        full_name=name,
        name_norm=normalize.name(name),
        name_spellings=normalize.spellings(name),
        document_number=document or None,
        document_norm=normalize.identifier(document) if document else None,
        phones=phones,
        role="driver",
    )


def _seizure(operation: Operation, commodity: str = "opium") -> Seizure:
    return Seizure(
        operation_id=operation.id,
        owner_agency_id=operation.owner_agency_id,
        occurred_at=operation.started_at,
        category="drugs",
        commodity=commodity,
        quantity=Decimal("2"),
        unit="kg",
        conveyance="car",
    )


def test_every_kind_of_write_leaves_the_index_exact(db, make_agency, make_team, make_operation):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    story = "Javlon Ismoilov (+998 90 123 45 67) drove the truck from Termez"
    first = make_operation(scc, team, narrative=story, seizures=[("heroin", "drugs", "1", "kg")] * 2)
    second = make_operation(scc, team, narrative="Melons and a false floor")
    assert_index_exact(db)

    db.add(_person(first.id, "Javlon Ismoilov", "AB 1234567", "+998901234567"))
    db.add(_person(first.id, "Aziz Karimov"))
    db.add(Vehicle(operation_id=first.id, plate="01 A 777 QZ", plate_norm="01A777QZ"))
    db.add(_seizure(db.get(Operation, first.id)))
    assert_index_exact(db)

    operation = db.get(Operation, first.id)
    operation.narrative, operation.title = "Javlon Ismoilov hid it under melons", "Opium at Ayritom"
    operation.status = "submitted"  # not part of the document: no re-indexing, still exact
    assert_index_exact(db)

    javlon = db.scalars(select(Person).where(Person.full_name == "Javlon Ismoilov")).one()
    javlon.full_name, javlon.name_spellings = "Javlon Ismailov", normalize.spellings("Javlon Ismailov")
    javlon.phones = "+998911112233"
    aziz = db.scalars(select(Person).where(Person.full_name == "Aziz Karimov")).one()
    aziz.operation_id = second.id  # a person moved to another record changes both records' documents
    vehicle = db.scalars(select(Vehicle).where(Vehicle.operation_id == first.id)).one()
    vehicle.plate, vehicle.plate_norm = "01 B 555 XY", "01B555XY"
    assert_index_exact(db)

    moved = db.scalars(select(Seizure).where(Seizure.operation_id == first.id)).first()
    moved.operation_id, moved.commodity, moved.transit_countries = second.id, "cannabis", "AF TJ"
    assert_index_exact(db)

    db.delete(vehicle)
    db.delete(aziz)
    db.delete(db.scalars(select(Seizure).where(Seizure.operation_id == first.id)).first())
    assert_index_exact(db)

    # raw SQL as well: several rows of one record in one statement, and an update that changes nothing
    db.execute(text("UPDATE person SET phones = '+998935556677' WHERE operation_id = :o"), {"o": first.id})
    db.execute(text("UPDATE seizure SET commodity = commodity, concealment = concealment"))
    db.add(_person(first.id, "Dilshod Rahimov"))
    db.flush()
    db.execute(text("UPDATE person SET full_name = full_name || ' Jr' WHERE operation_id = :o"), {"o": first.id})
    assert_index_exact(db)

    # deleting a record: its seizures, persons and vehicles go by the foreign keys' cascade
    db.execute(text("DELETE FROM operationagency WHERE operation_id = :o"), {"o": first.id})
    db.execute(text("DELETE FROM operation WHERE id = :o"), {"o": first.id})
    assert_index_exact(db)
    assert _indexed_seizures(db) == len(db.execute(select(Seizure.id)).all())


@pytest.fixture
def orgs(make_agency, make_team):
    return make_demo_orgs(make_agency, make_team)


def test_an_import_new_and_extending_leaves_the_index_exact(runner, db, orgs, make_team, make_operation, tmp_path):
    before = make_operation(orgs["SCC"], make_team("IMT-X"), narrative="Lemons before the import")
    rows = read_rows(generated_file(tmp_path / "all.csv", 300, seed=5))
    cut = next(i for i in range(150, 299) if rows[i - 1]["operation_ref"] == rows[i]["operation_ref"])
    first = runner.invoke(args=["import", str(write_rows(tmp_path / "first.csv", rows[:cut])), "--agency", "SCC"])
    assert first.exit_code == 0, first.output
    assert_index_exact(db)
    # the second file adds seizures to an operation of the first: the bulk load re-indexes an indexed record
    again = runner.invoke(args=["import", str(write_rows(tmp_path / "all.csv", rows)), "--agency", "SCC"])
    assert again.exit_code == 0 and "1 extended" in again.output, again.output
    assert_index_exact(db)
    assert _indexed_seizures(db) == len(rows) + 1
    assert db.execute(text("SELECT count(*) FROM search_pending")).scalar() == 0
    # and writes after the bulk load are indexed at once again
    operation = db.get(Operation, before.id)
    operation.narrative = "Oranges after the import"
    db.add(_person(operation.id, "Sardor Aliev", "JK 9998887"))
    assert_index_exact(db)


def test_retention_redaction_leaves_the_index_exact(app, runner, db, make_agency, make_team, make_operation):
    app.config["RETENTION_YEARS"] = 5
    app.config["RETENTION_KEEP_HASHES"] = False
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    story = "Javlon Ismoilov (passport AB1234567, +998901234567) drove the truck; Ismoilovning sumkasi."
    old = make_operation(scc, team, narrative=story, started_at=OLD, title="Heroin from Javlon Ismoilov")
    kept = make_operation(scc, team, narrative=story, started_at=datetime.now(UTC) - timedelta(days=30))
    for operation in (old, kept):
        db.add(_person(operation.id, "Javlon Ismoilov", "AB 1234567", "+998901234567"))
    db.execute(text("UPDATE seizure SET concealment_detail = 'in Javlon''s bag'"))
    assert_index_exact(db)
    result = runner.invoke(args=["retention", "apply", "--apply"])
    assert result.exit_code == 0, result.output
    assert "Ismoilov" not in db.get(Operation, old.id).narrative  # the redaction did happen
    assert_index_exact(db)
    seizure_id = db.scalars(select(Seizure.id).where(Seizure.operation_id == old.id)).one()
    if not ON_POSTGRES:
        found = db.execute(text("SELECT rowid FROM seizure_fts WHERE seizure_fts MATCH 'ismoilov'")).scalars().all()
        assert seizure_id not in found and found


@pytest.mark.skipif(ON_POSTGRES, reason="0019_fts_lean changes nothing on PostgreSQL")
def test_the_downgrade_restores_the_ordinary_tables_and_their_triggers(tmp_path):
    """Downgrading 0019_fts_lean gives back the schema of the revision before it, statement for statement,
    with the index filled."""
    url = f"sqlite:///{tmp_path / 'lean.sqlite3'}"
    previous = ScriptDirectory.from_config(alembic_config("")).get_revision(LEAN).down_revision
    upgrade(url, previous)
    before = _schema(url)
    upgrade(url, LEAN)
    assert "content = 'seizure_search_source'" in _schema(url)["seizure_fts"]
    downgrade(url, previous)
    assert _schema(url) == before


def _schema(url: str) -> dict[str, str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        schema = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")).all())
        conn.execute(text("INSERT INTO seizure_fts (seizure_fts) VALUES ('integrity-check')"))
    engine.dispose()
    return schema


@pytest.fixture
def documents_computed(monkeypatch):
    """Counts the documents SQLite computes through seizure_search_source (each calls search_redact)."""
    calls = []
    original = normalize.without_identities

    def counting(body, identities):
        calls.append(1)
        return original(body, identities)

    monkeypatch.setattr(normalize, "without_identities", counting)  # before the app's first connection
    return calls


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite index's documents are computed through its view")
def test_a_search_never_reads_the_documents_back(
    documents_computed, client, login_as, make_agency, make_team, make_user, make_operation
):
    """With no copy of the text, reading a text column of seizure_fts (or highlight(), snippet()) would
    compute every matched document again through the view: the searches must take the rowid alone."""
    scc = make_agency("SCC")
    operation = make_operation(scc, make_team("IMT-TER"), narrative="Zebra melons", visibility="agency")
    assert documents_computed  # the counter does see the view at work: indexing the new record used it
    login_as(make_user(scc, "analyst"))
    documents_computed.clear()
    for query in ("zebra", "melons heroin", "zeb*", '"zebra melons"'):
        page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert operation.ref in page, query
    assert client.get("/search/dashboard?q=zebra").status_code == 200
    assert documents_computed == []
