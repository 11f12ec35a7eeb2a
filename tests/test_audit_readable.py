"""The audit trail reads as words: action labels, the record's reference, labelled details, one date format."""

from __future__ import annotations

import html
import re
from pathlib import Path

from ops import audit

ROOT = Path(__file__).resolve().parent.parent


def test_events_show_labels_references_and_details_not_codes_and_json(
    client, db, make_user, make_agency, make_team, make_operation, login_as
):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    record = make_operation(scc, team, visibility="agency")
    lead = make_user(scc, "lead", teams=[team])
    audit.record(
        db,
        "operation_return",
        user=lead,
        object_type="operation",
        object_id=record.id,
        object_agency_id=scc.id,
        detail={"ref": record.ref, "status": "returned", "comment": "Add the plate"},
    )
    db.commit()
    auditor = make_user(scc, "auditor")
    auditor.locale = "ru"
    db.commit()
    login_as(auditor)
    page = html.unescape(client.get(f"/audit/?record={record.ref}").get_data(as_text=True))
    row = page.split('class="outcome-ok"')[1].split("</tr>")[0]
    assert "Вернул запись группе" in row and "operation_return" not in row
    assert f'<a href="/operations/{record.id}">{record.ref}</a>' in row  # the reference, linked
    assert f"operation {record.id}" not in row
    assert "Возвращено на доработку" in row and "Add the plate" in row  # the status label, the comment
    assert "{" not in row and '"status"' not in row  # no raw JSON
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row)


def test_the_action_filter_offers_labels_and_every_refusal(client, db, make_user, login_as):
    analyst = make_user("SCC", "analyst")
    login_as(analyst)
    assert client.get("/audit/").status_code == 403  # writes refused:view_audit
    auditor = make_user("SCC", "auditor")
    audit.record(db, "logout", user=analyst, object_type="user", object_id=analyst.id)
    db.commit()
    client.post("/logout")
    login_as(auditor)
    page = html.unescape(client.get("/audit/?action=refused").get_data(as_text=True))
    assert "Refused: Read the audit trail of the agency" in page and "Signed out" not in page.split("<tbody>")[1]
    page = html.unescape(client.get("/audit/?action=logout").get_data(as_text=True))
    body = page.split("<tbody>")[1]
    assert "Signed out" in body and f"user {analyst.username}" in body
    assert client.get("/audit/?action=no_such_action").status_code == 400


def test_every_template_uses_the_one_date_format():
    """`dt` takes no pattern: one format ("2026-12-01 08:46") in every page and language."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"\|dt\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_dates_read_the_same_in_every_language(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from ops.web import _format_dt

    moment = datetime(2026, 12, 1, 3, 46, tzinfo=UTC)
    with app.test_request_context():
        for lang in ("en", "ru", "uz"):
            with force_locale(lang):
                assert _format_dt(moment) == "2026-12-01 08:46"  # Asia/Tashkent
