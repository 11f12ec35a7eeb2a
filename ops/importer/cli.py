"""`ops import` and `ops generate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from ops.db import engine, session
from ops.generator import write_csv
from ops.importer.services import Job, import_file
from ops.importer.validate import MAX_LISTED_ERRORS
from ops.models import Agency


class ProgressBars:
    """One click progress bar per phase (checking, writing), fed by the importer's progress calls."""

    LABELS = {"checking": "checking", "writing": "importing"}

    def __init__(self):
        self.phase, self.bar, self.done = None, None, 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase, self.done = phase, 0
            self.bar = click.progressbar(
                length=max(total, 1), label=self.LABELS.get(phase, phase), file=sys.stderr, show_pos=True
            )
            self.bar.__enter__()
        if total > self.bar.length:
            self.bar.length = total
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", "agency_code", required=True, help="code of the agency that will own the records")
@click.option("--dry-run", is_flag=True, help="check every row and report; write no records")
@with_appcontext
def import_command(path: Path, agency_code: str, dry_run: bool) -> None:
    """Import seizure records from a CSV or XLSX file (all rows or none)."""
    from flask import current_app
    from flask_babel import force_locale
    from sqlmodel import select

    owner = session().exec(select(Agency).where(Agency.code == agency_code.upper())).first()
    if owner is None:
        raise click.ClickException(f"unknown agency {agency_code!r}")
    bars = ProgressBars()
    # no request here to choose a language from: messages come in the installation's default one
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        try:
            outcome = import_file(engine(), Job(path, path.name, owner), dry_run=dry_run, progress=bars)
        finally:
            bars.close()
        _report(outcome)
    if outcome.status in ("refused", "failed"):
        sys.exit(1)


def _report(outcome) -> None:
    batch, plan = outcome.batch, outcome.plan
    if plan is not None:
        for error in plan.errors:
            column = f" {error.column}" if error.column else ""
            value = f" {error.value!r}" if error.value else ""
            click.echo(f"line {error.line}{column}:{value} {error.message}", err=True)
        if plan.error_count > len(plan.errors):
            click.echo(
                f"... {plan.error_count - len(plan.errors)} more errors not listed "
                f"(the first {MAX_LISTED_ERRORS} are shown)",
                err=True,
            )
    if batch.message:
        click.echo(batch.message, err=True)
    if batch.status == "checked":
        summary = plan.summary()
        click.echo(
            f"dry run: {batch.rows} rows are good; an import would create {summary['operations_new']} "
            f"operations and {summary['seizures_new']} seizures ({batch.rows_skipped} rows imported before)"
        )
    elif batch.status == "done":
        click.echo(
            f"imported {batch.rows} rows: {batch.operations_created} operations created, "
            f"{batch.operations_extended} extended, {batch.seizures_created} seizures, "
            f"{batch.persons_created} persons, {batch.vehicles_created} vehicles; "
            f"{batch.rows_skipped} rows were imported before"
        )
    click.echo(f"batch {batch.id}: {batch.status}")


@click.command("generate")
@click.option("--rows", type=click.IntRange(min=0), default=1000, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV file to write (default: standard output)",
)
def generate_command(rows: int, seed: int, out: Path | None) -> None:
    """Write synthetic seizure records in the import format (deterministic for ROWS and SEED)."""

    if out is None:
        write_csv(rows, seed, sys.stdout)
        sys.stdout.flush()
        return
    with open(out, "w", encoding="utf-8", newline="", buffering=1 << 20) as handle:
        count = write_csv(rows, seed, handle)
    click.echo(f"{count} rows written to {out}", err=True)
