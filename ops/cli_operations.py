"""The operator's commands: `ops check`, `ops audit anchor`, `ops backup`, `ops restore`.

Thin: each parses its arguments, calls a service (ops/checks.py, ops/anchor.py,
ops/backup.py) and prints what it found; a failure exits non-zero.
"""

from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ops import anchor, checks
from ops.db import engine, session


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Database, migrations, audit chain, disk space and upload files: what an upgrade needs."""
    results = checks.run_checks(engine())
    width = max(len(result.name) for result in results)
    for result in results:
        click.echo(f"{'ok  ' if result.ok else 'FAIL'}  {result.name.ljust(width)}  {result.detail}")
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


COMMANDS = [check_command]
AUDIT_COMMANDS = [anchor_command]
