"""The project's own data generator: the import format, determinism, and data shaped like the real thing."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict

import pytest
from flask_babel import force_locale
from sqlmodel import select

from ops import demo, phones, vocab
from ops.generator import generate_rows, write_csv
from ops.importer.mapping import conveyance_code
from ops.importer.services import Job, import_file
from ops.importformat import COLUMNS
from ops.models import IdentifierKey, Operation
from tests.support.accounts import login
from tests.support.importing import generated_file, make_demo_orgs, read_rows


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    text = io.StringIO()
    write_csv(20_000, 11, text)
    return list(csv.DictReader(io.StringIO(text.getvalue())))


def test_same_rows_and_seed_give_the_same_bytes_and_smaller_files_are_prefixes():
    first, second, larger = io.StringIO(), io.StringIO(), io.StringIO()
    write_csv(3000, 5, first)
    write_csv(3000, 5, second)
    write_csv(4500, 5, larger)
    assert first.getvalue() == second.getvalue()
    assert larger.getvalue().startswith(first.getvalue())
    other = io.StringIO()
    write_csv(3000, 6, other)
    assert other.getvalue() != first.getvalue()


def test_header_is_the_23_columns_of_the_import_format_and_the_phones():
    text = io.StringIO()
    assert write_csv(10, 1, text) == 10
    header = text.getvalue().splitlines()[0].split(",")
    assert header == [*COLUMNS, "person_phones"] and len(COLUMNS) == 23


def test_every_value_is_one_the_importer_accepts(rows):
    agencies = {name for _code, name in demo.AGENCIES}
    teams = {name for _code, name, _kind in demo.TEAMS}
    for row in rows:
        code = vocab.commodity_code(row["commodity"])
        assert code is not None, row["commodity"]
        assert vocab.COMMODITIES[code].category == row["commodity_category"]
        assert row["unit"] in vocab.UNITS_BY_CATEGORY[row["commodity_category"]]
        assert row["agency"] in agencies and row["team"] in teams
        assert row["location"].lower() in vocab.PLACES_BY_NAME
        assert conveyance_code(row["conveyance"]) is not None
        assert row["visibility"] in vocab.VISIBILITIES
        for column in ("nationality", "route_origin", "route_destination"):
            assert not row[column] or vocab.country_code(row[column]), row[column]
        assert 2019 <= int(row["occurred_at"][:4]) <= 2026
        assert float(row["quantity"]) > 0


def test_operations_share_team_place_conveyance_and_route(rows):
    by_operation = defaultdict(list)
    for row in rows:
        by_operation[row["operation_ref"]].append(row)
    sizes = Counter(len(members) for members in by_operation.values())
    assert set(sizes) <= set(range(1, 9)) and sizes[1] > sizes[2] > sizes[8] > 0
    for members in by_operation.values():
        for column in ("team", "location", "conveyance", "route_origin", "route_destination", "vehicle_plate"):
            assert len({row[column] for row in members}) == 1, column


def test_skews_that_searches_rely_on(rows):
    afghan_border = Counter(r["commodity"] for r in rows if r["location"].startswith(("Ayritom", "Galaba")))
    assert {"heroin", "hashish", "opium"} <= {name for name, _n in afghan_border.most_common(4)}
    airport = Counter(r["commodity"] for r in rows if r["location"] == "Tashkent airport")
    assert airport.most_common(1)[0][0] == "tramadol tablets"
    meth = Counter(r["occurred_at"][:4] >= "2023" for r in rows if r["commodity"] == "methamphetamine")
    heroin = Counter(r["occurred_at"][:4] >= "2023" for r in rows if r["commodity"] == "heroin")
    assert meth[True] / meth[False] > 2 * heroin[True] / heroin[False]
    agencies = Counter(r["agency"] for r in rows)
    assert agencies["State Customs Committee"] > agencies["National Drug Control Centre"] > 0


def test_some_plates_and_people_recur_many_times(rows):
    plates_by_operation = {(r["operation_ref"], r["vehicle_plate"]) for r in rows if r["vehicle_plate"]}
    recurring = Counter(plate for _op, plate in plates_by_operation).most_common(3)
    assert recurring[0][1] >= 12 and recurring[2][1] >= 5
    people = {(r["operation_ref"], r["person_name"], r["person_document"]) for r in rows if r["person_name"]}
    assert Counter((name, doc) for _op, name, doc in people).most_common(1)[0][1] >= 12


def test_about_one_sentence_in_ten_is_russian(rows):
    sentences = [s for r in rows for s in re.split(r"(?<=[.!?])\s+", r["narrative"]) if s]
    russian = sum(1 for s in sentences if re.search("[А-Яа-я]", s))
    assert 0.06 < russian / len(sentences) < 0.14


def test_a_million_rows_are_generated_fast_enough():
    import time

    started = time.process_time()  # this process's CPU time: other jobs on the machine do not count
    for _row in generate_rows(20_000, 3):
        pass
    per_row = (time.process_time() - started) / 20_000
    assert per_row < 150e-6, f"{per_row * 1e6:.0f} µs per row: a million rows would take too long"


def _numbers(row: dict) -> list[str]:
    return row["person_phones"].split(";") if row["person_phones"] else []


def test_about_60_percent_of_persons_have_one_or_two_numbers_in_e164(rows):
    persons = {(r["person_name"], r["person_document"]): r for r in rows if r["person_name"]}
    counts = Counter(len(_numbers(row)) for row in persons.values())
    assert set(counts) == {0, 1, 2}
    assert 0.55 < (counts[1] + counts[2]) / len(persons) < 0.65 and counts[1] > counts[2] > 0
    for row in rows:
        assert not row["person_phones"] or row["person_name"]  # the importer refuses phones without a person
        for number in _numbers(row):
            assert phones.normalise(number) == number, number  # already E.164: stored as written
    countries = Counter(phones.split_country(n)[0] for r in persons.values() for n in _numbers(r))
    assert countries["998"] > countries["992"] > 0 and countries["93"] > 0 and countries["7"] > 0


def test_a_person_keeps_the_same_numbers_and_some_numbers_link_different_persons(rows):
    by_person = defaultdict(set)
    holders = defaultdict(set)
    for row in rows:
        if row["person_name"]:
            by_person[(row["person_name"], row["person_document"])].add(row["person_phones"])
            for number in _numbers(row):
                holders[number].add((row["person_name"], row["person_document"]))
    assert all(len(values) == 1 for values in by_person.values())  # a recurring subject's numbers recur
    shared = [number for number, people in holders.items() if len(people) >= 3]
    assert len(shared) >= 10


def test_generated_phones_import_and_the_identifier_lookup_finds_them(
    app, db, make_agency, make_team, make_user, tmp_path
):
    orgs = make_demo_orgs(make_agency, make_team)
    path = generated_file(tmp_path / "g.csv", 400, seed=11)
    rows = read_rows(path)
    with app.app_context(), force_locale("en"):
        outcome = import_file(app.extensions["ops_engine"], Job(path, path.name, orgs["SCC"]))
    assert outcome.status == "done", outcome.message
    written = set(db.exec(select(IdentifierKey.value).where(IdentifierKey.kind == "phone")).all())
    assert written == {number for row in rows for number in _numbers(row)}
    operations = defaultdict(set)
    for row in rows:
        for number in _numbers(row):
            operations[number].add(row["operation_ref"])
    number, refs = max(sorted(operations.items()), key=lambda item: len(item[1]))
    assert len(refs) >= 2  # a number in several records: the lookup has hits to find
    client = app.test_client()
    assert login(client, make_user(orgs["SCC"], "supervisor")).status_code == 302
    country, national = phones.split_country(number)
    typed = national if country == "998" else f"+{country} {national}"  # as people type them
    page = client.get("/search/lookup", query_string={"value": typed}).get_data(as_text=True)
    stored = db.exec(select(Operation.ref)).all()
    found = {ref for ref in stored if ref in page}
    assert found == {ref for ref in stored if ref.split("-", 1)[1] in refs}
