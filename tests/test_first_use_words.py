"""What a first-time user reads: importer-made titles in their language, demo dates and logins that make sense."""

from __future__ import annotations

import html
from datetime import UTC

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from ops import titles
from ops.models import Operation, User
from tests.support.importing import make_demo_orgs


@pytest.mark.parametrize(
    ("lang", "stored", "shown"),
    [
        ("ru", "Hashish at Ayritom (Termez bridge)", "Смола каннабиса (гашиш) — Айритом (Термезский мост)"),
        ("uz", "Heroin at Oybek", "Oybek: Geroin"),
        ("ru", "Heroin and 2 more items at Oybek", "Героин и ещё 2 предмета — Ойбек"),
        ("ru", "Heroin and 5 more items at Oybek", "Героин и ещё 5 предметов — Ойбек"),
        ("en", "Heroin and 1 more item at Oybek", "Heroin and 1 more item at Oybek"),
        ("ru", "Heroin at a farm near Denau", "Героин — a farm near Denau"),  # an unlisted place stays as typed
        ("ru", "Night raid at the market", "Night raid at the market"),  # a person's title is not touched
        ("ru", "", ""),
    ],
)
def test_importer_titles_are_shown_in_the_readers_language(app, lang, stored, shown):
    with app.test_request_context(), force_locale(lang):
        assert titles.display_title(stored) == shown


def test_the_record_page_and_list_show_the_translated_title(
    client, db, make_agency, make_team, make_user, make_operation, login_as
):
    agency, team = make_agency("SCC"), make_team("IMT-TER")
    make_operation(agency, team, title="Hashish at Ayritom (Termez bridge)")
    user = make_user(agency=agency, role="lead", teams=[team])
    user.locale = "ru"
    db.commit()
    login_as(user)
    record = db.exec(select(Operation)).scalars().one()
    for path in (f"/operations/{record.id}", "/operations/"):
        page = html.unescape(client.get(path).get_data(as_text=True))
        assert "Смола каннабиса (гашиш) — Айритом (Термезский мост)" in page, path
        assert "Hashish at" not in page, path


def test_demo_dates_end_at_the_moment_it_is_loaded(app, db, make_agency, make_team, frozen_clock):
    """With the clock in the generator's last year, nothing may lie after today (the form refuses it)."""
    from ops.importer.demo import FILE_ZONE, GENERATED_UNTIL, date_shift, load_generated

    now = frozen_clock.now()
    assert GENERATED_UNTIL + date_shift(now) == now.astimezone(FILE_ZONE).replace(tzinfo=None)
    orgs = make_demo_orgs(make_agency, make_team)
    with app.app_context():
        load_generated(300, orgs, lambda line: None)
    latest = db.execute(select(func.max(Operation.started_at))).scalar_one()
    latest = latest if latest.tzinfo else latest.replace(tzinfo=UTC)
    assert latest <= now
    assert (now - latest).days < 365  # the demo reaches up to the day, not a fixed calendar's past


def test_demo_logins_keep_one_block_per_database_and_are_printed_once(app, runner, db):
    from ops import demo

    first = runner.invoke(args=["demo", "--records", "0"])
    assert first.exit_code == 0, first.output
    assert first.output.count("scc.lead") == 1  # printed once, not once when made and again from the file
    assert "Supervisor of" not in " ".join(u.full_name for u in db.exec(select(User)).scalars())
    with app.app_context():
        database, original = demo._database(), app.config["DATABASE_URL"]
        app.config["DATABASE_URL"] = "sqlite:////elsewhere/other.sqlite3"
        demo._save_logins([("other.lead", "lead", "pw-of-the-other-database")])
        app.config["DATABASE_URL"] = original
    with app.app_context():
        content = demo.logins_file().read_text(encoding="utf-8")
    assert content.count("# database: ") == 2
    blocks = content.split("# database: ")[1:]
    assert blocks[0].startswith(database) and "scc.lead" in blocks[0] and "other.lead" not in blocks[0]
    assert blocks[1].startswith("sqlite:////elsewhere/other.sqlite3") and "other.lead" in blocks[1]
    again = runner.invoke(args=["demo", "--records", "0"])
    assert again.output.count("scc.lead") == 1 and "other.lead" not in again.output
    assert again.output.rstrip().splitlines()[-1].strip().startswith("sysadmin")  # the logins come last


def test_small_words_approved_sharing_policy_page_and_plural_files(
    client, db, make_agency, make_team, make_user, make_operation, login_as
):
    agency, team = make_agency("SCC"), make_team("IMT-TER")
    approved = make_operation(agency, team, status="approved")
    login_as(make_user(agency=agency, role="supervisor"))
    page = html.unescape(client.get(f"/operations/{approved.id}").get_data(as_text=True))
    assert "Who may read it" in page and "once approved" not in page
    policy = client.get("/policy").get_data(as_text=True)
    assert ".py" not in policy and "ops/" not in policy  # the page speaks of rules, not of source files
    assert 'href="/policy"' in policy.split("<footer")[1]  # reached from the footer, not the top menu


def test_files_added_uses_plural_forms(app):
    from flask_babel import ngettext

    with app.test_request_context():
        with force_locale("ru"):
            assert ngettext("%(num)d file added.", "%(num)d files added.", 1) == "Добавлен 1 файл."
            assert ngettext("%(num)d file added.", "%(num)d files added.", 3) == "Добавлено 3 файла."
        with force_locale("en"):
            assert ngettext("%(num)d file added.", "%(num)d files added.", 2) == "2 files added."
