"""What files the importer takes (CSV, XLSX, the shared generator's output) and how it refuses the rest."""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from ops.generator import GENERATED_COLUMNS
from ops.importformat import COLUMNS
from ops.models import ImportBatch
from tests.support.importing import expected_counts, generated_file, make_demo_orgs, read_rows, stored_counts

SHARED_GENERATOR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "gen_seizures.py"
NOTHING = {"operations": 0, "seizures": 0, "persons": 0, "vehicles": 0}


@pytest.fixture
def orgs(make_agency, make_team):
    return make_demo_orgs(make_agency, make_team)


def run_import(runner, path, agency="SCC"):
    return runner.invoke(args=["import", str(path), "--agency", agency])


def _csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=GENERATED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")


MALFORMED = {
    "empty": (lambda path, rows: path.write_bytes(b""), "The file is empty"),
    "only blank lines": (lambda path, rows: path.write_bytes(b"\n\n  \n"), "The file is empty"),
    "header only": (lambda path, rows: path.write_text(",".join(COLUMNS) + "\n"), "no records"),
    "wrong columns": (
        lambda path, rows: path.write_text("id,date,drug,amount\n1,2024-01-01,heroin,3\n"),
        "missing: seizure_id",
    ),
    "utf-16": (lambda path, rows: path.write_bytes(_csv_text(rows).encode("utf-16")), "UTF-16"),
    "utf-16 without BOM": (lambda path, rows: path.write_bytes(_csv_text(rows).encode("utf-16-le")), "UTF-16"),
    "windows-1251": (lambda path, rows: path.write_bytes(_csv_text(rows).encode("cp1251")), "Windows-1251"),
    "binary garbage": (lambda path, rows: path.write_bytes(random.Random(4).randbytes(20_000)), "binary data"),
    "old excel": (lambda path, rows: path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), "old Excel"),
    "zip that is no workbook": (lambda path, rows: _zip_without_workbook(path), "not a readable Excel workbook"),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_file_that_is_not_the_import_format_gets_a_clear_error(runner, db, orgs, tmp_path, kind):
    rows = read_rows(generated_file(tmp_path / "good.csv", 60, seed=2))
    for row in rows:  # Cyrillic in every row, so that a wrong encoding cannot pass unnoticed
        row["narrative"] = "Груз обнаружен при досмотре. " + row["narrative"]
    write, message = MALFORMED[kind]
    bad = tmp_path / "bad.csv"
    write(bad, rows)
    result = run_import(runner, bad)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert stored_counts(db) == NOTHING
    batch = db.exec(select(ImportBatch)).scalars().one()
    assert batch.status == "refused" and message in batch.message


def test_a_row_with_the_wrong_number_of_values_is_named(runner, db, orgs, tmp_path):
    path = generated_file(tmp_path / "g.csv", 20, seed=2)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = "1,2,3"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_import(runner, path)
    # the header names 24 columns: the 23 and the generator's optional person_phones
    assert result.exit_code == 1 and "line 5:" in result.output and "expected 24 values, found 3" in result.output
    assert stored_counts(db) == NOTHING


def _write_xlsx(path: Path, rows: list[dict], columns=COLUMNS) -> Path:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("seizures")
    sheet.append(columns)
    for row in rows:
        values = []
        for column in columns:
            value = row[column]
            if column in ("lat", "lon") or (column == "quantity" and "." in value):
                value = float(value)  # as a spreadsheet holds numbers
            elif column == "quantity":
                value = int(value)
            values.append(value)
        sheet.append(values)
    workbook.save(path)
    return path


def test_xlsx_with_the_same_columns_imports_the_same(runner, db, orgs, tmp_path):
    rows = read_rows(generated_file(tmp_path / "g.csv", 1500, seed=8))
    result = run_import(runner, _write_xlsx(tmp_path / "g.xlsx", rows))
    assert result.exit_code == 0, result.output
    assert stored_counts(db) == expected_counts(rows)
    again = run_import(runner, tmp_path / "g.csv")  # the same records as CSV: nothing new
    assert again.exit_code == 0 and "1500 rows were imported before" in again.output
    assert stored_counts(db) == expected_counts(rows)


def test_columns_in_another_order_and_semicolons_as_excel_writes_them(runner, db, orgs, tmp_path):
    rows = read_rows(generated_file(tmp_path / "g.csv", 300, seed=4))
    shuffled = list(reversed(GENERATED_COLUMNS))  # the optional phones among them
    path = tmp_path / "semicolons.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:  # Excel writes a BOM, too
        writer = csv.DictWriter(handle, fieldnames=shuffled, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert stored_counts(db) == expected_counts(rows)


def test_a_bad_row_in_an_xlsx_is_named_by_its_sheet_row(runner, db, orgs, tmp_path):
    rows = read_rows(generated_file(tmp_path / "g.csv", 30, seed=4))
    rows[9]["occurred_at"] = "yesterday"
    result = run_import(runner, _write_xlsx(tmp_path / "g.xlsx", rows))
    assert result.exit_code == 1 and "line 11 occurred_at: 'yesterday' not a date" in result.output
    assert stored_counts(db) == NOTHING


@pytest.mark.skipif(
    not SHARED_GENERATOR.is_file(),
    reason="../shared/data/gen_seizures.py (the shared reference generator) is not on this machine",
)
def test_a_file_of_the_shared_reference_generator_imports_cleanly(runner, db, orgs, tmp_path):
    path = tmp_path / "shared.csv"
    subprocess.run(
        [sys.executable, str(SHARED_GENERATOR), "--rows", "1500", "--seed", "11", "--out", str(path)],
        check=True,
        timeout=120,
    )
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert stored_counts(db) == expected_counts(read_rows(path))


def test_a_formula_without_a_computed_value_is_a_bad_row_not_an_empty_cell(runner, db, orgs, tmp_path):
    # openpyxl writes "=..." as a formula and saves no value for it, as scripts that make workbooks do
    rows = read_rows(generated_file(tmp_path / "g.csv", 30, seed=4))
    rows[9]["narrative"] = '=CONCATENATE("X-ray ", "showed a false floor")'
    rows[12]["concealment"] = "=A1"
    result = run_import(runner, _write_xlsx(tmp_path / "formulas.xlsx", rows))
    assert result.exit_code == 1, result.output
    assert "line 11 narrative: '=CONCATENATE(" in result.output and "never computed" in result.output
    assert "line 14 concealment: '=A1' a formula whose value was never computed" in result.output
    assert stored_counts(db) == NOTHING
