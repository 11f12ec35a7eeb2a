"""`ops counterparts`: which foreign office is the counterpart of which national agency (system administrators)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ops.db import session
from ops.liaison import services
from ops.models import Agency
from ops.models_liaison import CounterpartLink


@click.group("counterparts")
def counterparts_group() -> None:
    """Counterpart offices across the border."""


def _agency(code: str) -> Agency:
    found = session().execute(select(Agency).where(Agency.code == code.upper())).scalar_one_or_none()
    if found is None:
        raise click.ClickException(f"no agency {code.upper()}")
    return found


@counterparts_group.command("link")
@click.argument("agency_code")
@click.argument("partner_code")
@with_appcontext
def link(agency_code: str, partner_code: str) -> None:
    """Make the foreign office PARTNER_CODE the counterpart of the national agency AGENCY_CODE."""
    try:
        with current_app.test_request_context():  # messages are translated (English here)
            services.link_counterparts(session(), _agency(agency_code), _agency(partner_code))
    except services.LiaisonError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{partner_code.upper()} is a counterpart of {agency_code.upper()}")


@counterparts_group.command("unlink")
@click.argument("agency_code")
@click.argument("partner_code")
@with_appcontext
def unlink(agency_code: str, partner_code: str) -> None:
    """Undo a counterpart pair (releases already sent stay, with their audit trail)."""
    try:
        with current_app.test_request_context():
            services.unlink_counterparts(session(), _agency(agency_code), _agency(partner_code))
    except services.LiaisonError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{partner_code.upper()} is no longer a counterpart of {agency_code.upper()}")


@counterparts_group.command("list")
@with_appcontext
def list_pairs() -> None:
    """Every pair: national agency, foreign office, its country."""
    db = session()
    national, partner = Agency.__table__.alias("n"), Agency.__table__.alias("p")
    rows = db.execute(
        select(national.c.code, partner.c.code, partner.c.country)
        .join(CounterpartLink, CounterpartLink.agency_id == national.c.id)
        .join(partner, partner.c.id == CounterpartLink.partner_agency_id)
        .order_by(national.c.code, partner.c.code)
    )
    for agency, office, country in rows:
        click.echo(f"{agency}\t{office}\t{country}")
