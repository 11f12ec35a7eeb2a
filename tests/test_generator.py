"""The project's own data generator: the import format, determinism, and data shaped like the real thing."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict

import pytest

from ops import demo, vocab
from ops.generator import generate_rows, write_csv
from ops.importer.mapping import conveyance_code
from ops.importformat import COLUMNS


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


def test_header_is_the_23_columns_of_the_import_format():
    text = io.StringIO()
    assert write_csv(10, 1, text) == 10
    header = text.getvalue().splitlines()[0].split(",")
    assert header == COLUMNS and len(COLUMNS) == 23


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
