"""The `ops` command line, run through Flask's test runner."""

from __future__ import annotations

from sqlmodel import select

from ops.models import Agency, Team, User


def test_agency_and_user_create(runner, db):
    assert runner.invoke(args=["agency-create", "scc", "State Customs Committee"]).exit_code == 0
    result = runner.invoke(
        args=[
            "user",
            "create",
            "--username",
            "boss",
            "--name",
            "The Boss",
            "--agency",
            "SCC",
            "--role",
            "admin",
            "--sysadmin",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "password (shown once):" in result.output
    user = db.exec(select(User).where(User.username == "boss")).one()
    assert user.is_sysadmin and user.role == "admin"


def test_user_create_refuses_unknown_agency_and_team(runner, db, make_agency):
    result = runner.invoke(
        args=["user", "create", "--username", "u", "--name", "U", "--agency", "NOPE", "--role", "lead"]
    )
    assert result.exit_code != 0 and "unknown agency" in result.output
    make_agency("SCC")
    result = runner.invoke(
        args=["user", "create", "--username", "u", "--name", "U", "--agency", "SCC", "--role", "lead", "--team", "NOPE"]
    )
    assert result.exit_code != 0 and "unknown team" in result.output
    assert db.exec(select(User)).all() == []


def test_demo_is_idempotent_and_prints_passwords_once(runner, db):
    first = runner.invoke(args=["demo", "--records", "0"])
    assert first.exit_code == 0, first.output
    assert "scc.lead" in first.output and "sysadmin" in first.output
    users = len(db.exec(select(User)).all())
    # one per role per agency, the sysadmin, the programme officer, the counterpart office's lead
    assert users == 5 * 6 + 1 + 1 + 1
    second = runner.invoke(args=["demo", "--records", "0"])
    assert second.exit_code == 0 and "demo users exist already" in second.output
    assert len(db.exec(select(User)).all()) == users
    # five law-enforcement agencies, the programme organisation and a counterpart office (with its team)
    assert len(db.exec(select(Agency)).all()) == 7 and len(db.exec(select(Team)).all()) == 15
    tajik = db.exec(select(Agency).where(Agency.code == "DCA-TJ")).one()
    assert (tajik.is_foreign_partner, tajik.country, tajik.receive_language) == (True, "TJ", "ru")
    customs = db.exec(select(Agency).where(Agency.code == "SCC")).one()
    assert customs.name_ru == "Государственный таможенный комитет" and customs.name_uz == "Davlat bojxona qo'mitasi"


def test_no_default_accounts_exist_after_migration(db):
    assert db.exec(select(User)).all() == []


def test_audit_verify_command(runner, make_agency):
    runner.invoke(args=["agency-create", "SSS", "State Security Service"])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "audit chain intact: 1 events" in result.output
