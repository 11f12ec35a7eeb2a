"""The project's own commands of the `ops` command (registered on the app by `init_app`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ops import anchor, audit, vocab
from ops.admin.services import DuplicateError, create_agency, create_user
from ops.cli_operations import AUDIT_COMMANDS, COMMANDS
from ops.db import session
from ops.demo import load_demo
from ops.equipment import importing as equipment_importing
from ops.importer.cli import generate_command, import_command
from ops.liaison.cli import counterparts_group
from ops.migrate import downgrade, upgrade
from ops.models import Agency, Team

# --- database ------------------------------------------------------------------------


@click.group("db")
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Bring the schema up to REVISION (default: the newest)."""

    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Step the schema back to REVISION."""

    downgrade(current_app.config["DATABASE_URL"], revision)


# --- organisations ---------------------------------------------------------------------


@click.command("agency-create")
@click.argument("code")
@click.argument("name")
@with_appcontext
def agency_create(code: str, name: str) -> None:
    """Create an agency (CODE: capital letters, e.g. SCC)."""

    try:
        create_agency(None, code.upper(), name)
    except DuplicateError as error:
        raise click.ClickException(f"an agency with this {error.field} exists already") from None
    click.echo(f"agency {code.upper()} created")


@click.group("user")
def user_group() -> None:
    """User accounts."""


@user_group.command("create")
@click.option("--username", required=True)
@click.option("--name", "full_name", required=True, help="full name")
@click.option("--agency", "agency_code", required=True, help="agency code, e.g. SCC")
@click.option("--role", type=click.Choice(list(vocab.ROLES)), required=True)
@click.option("--team", "team_codes", multiple=True, help="team code; repeat for several")
@click.option("--sysadmin", is_flag=True, help="may manage agencies and teams")
@with_appcontext
def user_create(username, full_name, agency_code, role, team_codes, sysadmin) -> None:
    """Create a user; the random password is printed once."""
    from sqlmodel import select

    agency = session().exec(select(Agency).where(Agency.code == agency_code.upper())).first()
    if agency is None:
        raise click.ClickException(f"unknown agency {agency_code!r}")
    teams = session().exec(select(Team).where(Team.code.in_([c.upper() for c in team_codes]))).all()
    missing = {c.upper() for c in team_codes} - {t.code for t in teams}
    if missing:
        raise click.ClickException(f"unknown team(s): {', '.join(sorted(missing))}")
    try:
        user, password = create_user(
            None,
            agency_id=agency.id,
            username=username,
            full_name=full_name,
            role=role,
            team_ids=[t.id for t in teams],
            is_sysadmin=sysadmin,
        )
    except DuplicateError:
        raise click.ClickException(f"user {username!r} exists already") from None
    click.echo(f"user {user.username} created; password (shown once): {password}")


# --- demo, audit, serving -------------------------------------------------------------------


@click.command("demo")
@click.option("--records", default=3000, show_default=True, help="how many demo seizures to load")
@with_appcontext
def demo(records: int) -> None:
    """Create demo agencies, teams, users and records (idempotent)."""

    load_demo(records, echo=click.echo)


@click.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
@click.option("--anchor", "anchor_file", type=click.File("r"), help="an anchor written by `ops audit anchor`")
@with_appcontext
def audit_verify(anchor_file) -> None:
    """Check the whole hash chain and the head row; with --anchor, that the anchored event is still there."""

    if anchor_file is None:
        result = audit.verify(session())
    else:
        try:
            kept = anchor.read_anchor(anchor_file.read(), current_app.config["SECRET_KEY"])
        except anchor.AnchorError as error:
            raise click.ClickException(str(error)) from None
        result = anchor.verify_with_anchor(session(), kept)
    if result.ok:
        click.echo(f"audit chain intact: {result.checked} events" + (" (anchor found)" if anchor_file else ""))
        return
    click.echo(
        f"audit chain BROKEN at event {result.broken_seq}: {result.reason} ({result.checked} events checked before it)",
        err=True,
    )
    sys.exit(1)


@click.command("equipment-import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--apply", "really", is_flag=True, help="import the items (without it: check only, nothing written)")
@with_appcontext
def equipment_import(path: Path, really: bool) -> None:
    """Check a CSV or XLSX file of equipment items; with --apply, import them (all rows or none)."""
    from flask_babel import force_locale

    # no request here to choose a language from: messages come in the installation's default one
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        outcome = equipment_importing.import_file(path, path.name, None, apply=really)
        for error in outcome.errors:
            column = f" {error.column}" if error.column else ""
            value = f" {error.value!r}" if error.value else ""
            click.echo(f"line {error.line}{column}:{value} {error.message}", err=True)
        if outcome.error_count > len(outcome.errors):
            click.echo(f"... {outcome.error_count - len(outcome.errors)} more errors not listed", err=True)
        if outcome.file_error:
            click.echo(outcome.file_error, err=True)
    if not outcome.ok:
        click.echo(f"refused: {outcome.error_count} errors; nothing written", err=True)
        sys.exit(1)
    if outcome.written:
        click.echo(f"imported {outcome.written} items")
    else:
        click.echo(f"check only: {len(outcome.rows)} items are good; nothing written (import them with --apply)")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True)
def serve(host: str, port: int, workers: int) -> None:
    """Serve with gunicorn (never the Flask development server)."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "ops.wsgi:app",
    ]
    os.execv(sys.executable, argv)  # nosec B606  # fixed argv, no shell, our own interpreter


def init_app(app: Flask) -> None:

    for command in (
        db_group,
        agency_create,
        user_group,
        demo,
        audit_group,
        serve,
        import_command,
        generate_command,
        equipment_import,
        counterparts_group,
    ):
        app.cli.add_command(command)
    for command in COMMANDS:
        app.cli.add_command(command)
    audit_group.add_command(AUDIT_COMMANDS[0])
