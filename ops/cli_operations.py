"""The operator's commands: `ops check`, `ops audit anchor`, `ops backup`, `ops restore`, `ops retention apply`.

Thin: each parses its arguments, calls a service (ops/checks.py, ops/anchor.py,
ops/backup.py) and prints what it found; a failure exits non-zero.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ops import anchor, backup, checks, restore, retention
from ops.db import engine, read_engine, session
from ops.plans import services as plan_services


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Database, migrations, audit chain, disk space and upload files: what an upgrade needs."""
    results = checks.run_checks(engine(), read_engine())
    width = max(len(result.name) for result in results)
    for result in results:
        word = "FAIL" if not result.ok else "warn" if result.warning else "ok  "
        click.echo(f"{word}  {result.name.ljust(width)}  {result.detail}")
    failed = [result.name for result in results if not result.ok]
    if failed:
        click.echo(f"{len(failed)} check(s) failed: {', '.join(failed)}", err=True)
        sys.exit(1)
    click.echo(f"all {len(results)} checks passed ({current_app.config['DATABASE_URL'].split(':', 1)[0]})")


@click.command("anchor")
@click.option(
    "--out", "out", type=click.Path(dir_okay=False, writable=True), help="write to FILE (default: standard output)"
)
@with_appcontext
def anchor_command(out: str | None) -> None:
    """Write the audit chain's head (sequence, hash), signed with the secret key, for safekeeping elsewhere."""
    made = anchor.make_anchor(session(), current_app.config["SECRET_KEY"])
    text = json.dumps(made, sort_keys=True) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(text)
    click.echo(f"anchor of event {made['seq']} written to {out}; keep it away from this server", err=True)


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Copy the database (consistently, while ops runs), the uploads and a manifest into FOLDER (new or empty)."""
    try:
        manifest = backup.backup(engine(), Path(current_app.config["UPLOAD_DIR"]), folder)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"backup in {folder}: schema {manifest['schema_revision']}, {len(manifest['files'])} files, "
        f"{manifest['counts'].get('operation', 0)} operations, audit head {manifest['audit_head']['seq']}"
    )


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(folder: Path) -> None:
    """Restore a backup of FOLDER into the EMPTY database of DATABASE_URL, then verify it against its manifest."""
    try:
        report = restore.restore(engine(), Path(current_app.config["UPLOAD_DIR"]), folder)
    except backup.BackupError as error:
        raise click.ClickException(f"nothing restored: {error}") from None
    if not report.ok:
        for problem in report.problems:
            click.echo(f"MISMATCH  {problem}", err=True)
        sys.exit(1)
    counts = report.manifest["counts"]
    click.echo(
        f"restored {folder}: schema {report.manifest['schema_revision']}, {counts.get('operation', 0)} operations, "
        f"audit chain intact to event {report.manifest['audit_head']['seq']}; counts match the manifest"
    )


@click.group("retention")
def retention_group() -> None:
    """Retention of personal data (OPS_RETENTION_YEARS)."""


@retention_group.command("apply")
@click.option("--apply", "really", is_flag=True, help="remove the identities (without it: a dry run, nothing written)")
@with_appcontext
def retention_apply_command(really: bool) -> None:
    """Replace the identities of persons in approved records older than OPS_RETENTION_YEARS with a marker."""
    years = current_app.config.get("RETENTION_YEARS")
    if not years:
        raise click.ClickException("OPS_RETENTION_YEARS is not set: identities are kept for ever, nothing to do")
    db = session()
    found = retention.plan(db, years)
    db.rollback()  # the plan's read transaction ends here, so that each record gets a transaction of its own
    click.echo(
        f"records that started before {found.cutoff.date().isoformat()} ({years} years): "
        f"{len(found.due)} due ({found.persons} persons), {len(found.held)} kept under a legal hold, "
        f"{len(found.requested)} kept for an open access request"
    )
    if not really:
        click.echo("dry run: nothing written; run again with --apply to remove these identities")
        return
    keep = bool(current_app.config.get("RETENTION_KEEP_HASHES"))
    done = retention.apply(db, found, current_app.config["SECRET_KEY"], keep)
    click.echo(f"identities removed from {done} records" + (" (keyed hashes kept)" if keep else ""))


@click.group("plans")
def plans_group() -> None:
    """Planned operations (deconfliction)."""


@plans_group.command("close")
@with_appcontext
def plans_close() -> None:
    """Close the active plans whose window is over (status expired; they stay in the log). For a scheduler."""
    closed = plan_services.close_expired(session())
    click.echo(f"plans closed: {closed}")


COMMANDS = [check_command, backup_command, restore_command, retention_group, plans_group]
AUDIT_COMMANDS = [anchor_command]
