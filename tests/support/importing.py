"""Helpers of the import tests: demo organisations, generated files, counts computed from the CSV itself."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select

from ops import demo, normalize
from ops.generator import GENERATED_COLUMNS, write_csv
from ops.models import Operation, OperationAgency, OperationShare, Person, Seizure, Vehicle


def make_demo_orgs(make_agency, make_team) -> dict:
    """The demo agencies and teams (their names are those the generated files use), by code."""
    for code, name, kind in demo.TEAMS:
        make_team(code, name, kind)
    return {code: make_agency(code, name) for code, name in demo.AGENCIES}


def generated_file(path: Path, rows: int, seed: int = 7) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        write_csv(rows, seed, handle)
    return path


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict], columns=GENERATED_COLUMNS, encoding: str = "utf-8") -> Path:
    """The rows under these columns: a column the rows have and `columns` do not name is left out."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def expected_counts(rows: list[dict]) -> dict:
    """What an import of these rows must create, computed from the file alone."""

    def clean(row, column):
        return row[column].strip()

    return {
        "operations": len({clean(r, "operation_ref") for r in rows}),
        "seizures": len(rows),
        "persons": len(
            {
                (
                    clean(r, "operation_ref"),
                    normalize.name(r["person_name"]),
                    normalize.identifier(r["person_document"]),
                )
                for r in rows
                if clean(r, "person_name")
            }
        ),
        "vehicles": len(
            {
                (clean(r, "operation_ref"), normalize.identifier(r["vehicle_plate"]))
                for r in rows
                if clean(r, "vehicle_plate")
            }
        ),
    }


def stored_counts(db) -> dict:
    def count(model):
        return db.execute(select(func.count()).select_from(model)).scalar_one()

    return {
        "operations": count(Operation),
        "seizures": count(Seizure),
        "persons": count(Person),
        "vehicles": count(Vehicle),
    }


def all_counts(db) -> dict:
    counts = stored_counts(db)
    counts["participants"] = db.execute(select(func.count()).select_from(OperationAgency)).scalar_one()
    counts["shares"] = db.execute(select(func.count()).select_from(OperationShare)).scalar_one()
    return counts
