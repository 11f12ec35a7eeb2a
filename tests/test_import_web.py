"""The import page: supervisors check a file, read the report, confirm, follow the progress; nobody else may."""

from __future__ import annotations

import io
import json
import time

import pytest
from sqlalchemy import select

from ops.models import AuditEvent, ImportBatch
from tests.support.importing import (
    expected_counts,
    generated_file,
    make_demo_orgs,
    read_rows,
    stored_counts,
    write_rows,
)

NOTHING = {"operations": 0, "seizures": 0, "persons": 0, "vehicles": 0}


@pytest.fixture
def orgs(make_agency, make_team):
    return make_demo_orgs(make_agency, make_team)


@pytest.fixture
def supervisor(orgs, make_user):
    return make_user(agency=orgs["SCC"], role="supervisor")


def upload(client, path, name=None):
    with open(path, "rb") as handle:
        data = {"file": (io.BytesIO(handle.read()), name or path.name)}
    return client.post("/import/", data=data, content_type="multipart/form-data")


def batch_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def wait_until_finished(client, batch_id: int, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        response = client.get(f"/import/{batch_id}/progress", headers={"Accept": "application/json"})
        assert response.status_code == 200
        state = response.get_json()
        seen.append(state["status"])
        if state["finished"]:
            state["seen"] = seen
            return state
        time.sleep(0.2)
    raise AssertionError(f"import {batch_id} did not finish: {seen[-5:]}")


def test_supervisor_checks_confirms_and_follows_an_import(client, db, login_as, supervisor, tmp_path):
    # under 500 kB: a larger body makes the test client spool it to a temporary file that it never closes
    path = generated_file(tmp_path / "seizures.csv", 900, seed=12)
    login_as(supervisor)
    page = client.get("/import/")
    assert page.status_code == 200 and 'type="file"' in page.get_data(as_text=True)

    batch_id = batch_id_of(upload(client, path))
    report = client.get(f"/import/{batch_id}").get_data(as_text=True)
    assert "All 900 rows are good" in report and "Import 900 rows" in report
    assert stored_counts(db) == NOTHING  # the dry run wrote no record

    confirmed = client.post(f"/import/{batch_id}/confirm")
    assert confirmed.status_code == 302
    state = wait_until_finished(client, batch_id)
    assert state["status"] == "done", state
    assert stored_counts(db) == expected_counts(read_rows(path))
    result = client.get(f"/import/{batch_id}").get_data(as_text=True)
    assert "Imported 900 rows" in result and "data-progress-url" not in result

    again = client.post(f"/import/{batch_id}/confirm", follow_redirects=True)
    assert "not waiting for confirmation any more" in again.get_data(as_text=True)
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "import").order_by(AuditEvent.seq)).scalars().all()
    assert [json.loads(e.detail)["dry_run"] for e in events] == [True, False]
    assert all(e.user_id == supervisor.id for e in events)
    assert not any((tmp_path / "instance" / "imports").iterdir()), "the uploaded file is removed once imported"


def test_a_file_with_bad_rows_shows_each_of_them_and_cannot_be_confirmed(client, db, login_as, supervisor, tmp_path):
    rows = read_rows(generated_file(tmp_path / "g.csv", 50, seed=3))
    rows[4]["commodity"] = "moon dust"
    rows[9]["visibility"] = "everyone"
    login_as(supervisor)
    batch_id = batch_id_of(upload(client, write_rows(tmp_path / "bad.csv", rows)))
    html = client.get(f"/import/{batch_id}").get_data(as_text=True)
    assert "Nothing was imported: 2 rows have errors." in html
    for line, column, reason in ((6, "commodity", "unknown commodity"), (11, "visibility", "unknown visibility")):
        row_html = html.split(f'<td class="num">{line}</td>')[1].split("</tr>")[0]
        assert f"<code>{column}</code>" in row_html and reason in row_html
    assert "Import 50 rows" not in html
    assert client.post(f"/import/{batch_id}/confirm").status_code == 302
    assert db.get(ImportBatch, batch_id).status == "refused" and stored_counts(db) == NOTHING
    assert not (tmp_path / "instance" / "imports" / db.get(ImportBatch, batch_id).sha256).exists()


@pytest.mark.parametrize(
    "content, name, message",
    [
        ("seizures".encode("utf-16"), "x.csv", "UTF-16"),
        (b"", "x.csv", "The file is empty."),
        (b"a,b\n1,2\n", "notes.txt", "Only CSV (.csv) or Excel workbook (.xlsx) files"),
        (b"id,drug\n1,heroin\n", "x.csv", "missing: seizure_id"),
    ],
)
def test_a_file_that_is_no_import_file_comes_back_with_a_message(
    client, db, login_as, supervisor, content, name, message
):
    login_as(supervisor)
    response = client.post("/import/", data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored_counts(db) == NOTHING


def test_sending_no_file_asks_for_one(client, login_as, supervisor):
    login_as(supervisor)
    response = client.post("/import/", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["officer", "lead", "analyst", "auditor", "admin"])
def test_other_roles_are_refused(client, db, orgs, make_user, login_as, supervisor, tmp_path, role):
    login_as(supervisor)
    batch_id = batch_id_of(upload(client, generated_file(tmp_path / "g.csv", 20)))
    client.post("/logout")
    login_as(make_user(agency=orgs["SCC"], role=role))
    assert client.get("/import/").status_code == 403
    assert upload(client, tmp_path / "g.csv").status_code == 403
    assert client.get(f"/import/{batch_id}").status_code == 403
    assert client.post(f"/import/{batch_id}/confirm").status_code == 403
    assert client.get(f"/import/{batch_id}/progress").status_code == 403
    assert db.get(ImportBatch, batch_id).status == "checked" and stored_counts(db) == NOTHING
    refusals = db.exec(select(AuditEvent).where(AuditEvent.action == "refused:import")).scalars().all()
    assert len(refusals) == 5


def test_a_supervisor_of_another_agency_does_not_see_the_batch(
    client, db, orgs, make_user, login_as, supervisor, tmp_path
):
    login_as(supervisor)
    batch_id = batch_id_of(upload(client, generated_file(tmp_path / "g.csv", 20)))
    client.post("/logout")
    login_as(make_user(agency=orgs["SBS"], role="supervisor"))
    assert client.get(f"/import/{batch_id}").status_code == 404
    assert client.post(f"/import/{batch_id}/confirm").status_code == 404
    assert client.get(f"/import/{batch_id}/progress").status_code == 404
    assert f"/import/{batch_id}" not in client.get("/import/").get_data(as_text=True)
    assert db.get(ImportBatch, batch_id).status == "checked"


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/import/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/import/1/progress", headers={"Accept": "application/json"}).status_code == 401


def test_import_page_needs_a_csrf_token_when_csrf_is_on(app, client, login_as, supervisor, tmp_path):
    login_as(supervisor)
    app.config["WTF_CSRF_ENABLED"] = True
    response = upload(client, generated_file(tmp_path / "g.csv", 10))
    assert response.status_code == 400


def test_an_import_whose_server_stopped_is_shown_as_stopped(client, db, login_as, supervisor, tmp_path):
    from datetime import timedelta

    from ops.models import utcnow

    login_as(supervisor)
    batch_id = batch_id_of(upload(client, generated_file(tmp_path / "g.csv", 20)))
    batch = db.get(ImportBatch, batch_id)
    batch.status, batch.updated_at = "writing", utcnow() - timedelta(hours=2)  # as a killed worker leaves it
    db.add(batch)
    db.commit()
    assert client.get(f"/import/{batch_id}/progress").get_json()["finished"] is True
    html = client.get(f"/import/{batch_id}").get_data(as_text=True)
    assert "stopped without finishing" in html and "data-progress-url" not in html
