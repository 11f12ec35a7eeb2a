"""/healthz as a readiness check, JSON-lines logs, and `ops check`."""

from __future__ import annotations

import io
import json
import logging
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from ops.app import create_app
from ops.logs import json_handler
from ops.migrate import head_revisions
from ops.models import Attachment

HEAD = "+".join(sorted(head_revisions()))


@contextmanager
def schema_said_to_be(app, revision: str):
    """alembic_version rewound for the test, put back after (PostgreSQL test databases are reused)."""
    engine = app.extensions["ops_engine"]
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r").bindparams(r=revision))
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :r").bindparams(r=HEAD))


def test_healthz_is_ok_at_head_for_anyone(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "revision": HEAD}


def test_healthz_is_503_when_the_schema_is_not_the_codes(app, client):
    with schema_said_to_be(app, "0001"):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json == {"status": "not ok", "revision": "0001"}


def test_healthz_is_503_when_the_database_cannot_be_reached(app_config, tmp_path):
    url = (
        "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2"
        if app_config["DATABASE_URL"].startswith("postgresql")
        else f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}"
    )
    unreachable = create_app({**app_config, "DATABASE_URL": url})
    try:
        response = unreachable.test_client().get("/healthz")
        assert response.status_code == 503 and response.json == {"status": "not ok", "revision": None}
    finally:
        unreachable.extensions["ops_engine"].dispose()


def test_json_logs_carry_the_request_id(app_config):
    application = create_app({**app_config, "LOG_FORMAT": "json"})
    stream = io.StringIO()
    logger = logging.getLogger("ops")
    handler = json_handler(stream)
    logger.addHandler(handler)
    try:
        response = application.test_client().get("/healthz")
    finally:
        logger.removeHandler(handler)
        application.extensions["ops_engine"].dispose()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_line = next(line for line in lines if line["message"] == "request")
    assert request_line["request_id"] == response.headers["X-Request-ID"] != ""
    assert (request_line["method"], request_line["path"], request_line["status"]) == ("GET", "/healthz", 200)
    assert request_line["level"] == "INFO" and "asctime" in request_line


def test_ops_check_passes_on_a_healthy_instance(runner):
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output
    for name in ("database", "migrations", "audit chain", "upload files", "disk space"):
        assert any(line.startswith("ok") and name in line for line in result.output.splitlines()), name


def test_ops_check_fails_on_a_missing_upload_file_and_a_behind_schema(
    app, runner, db, make_operation, make_agency, make_team
):
    operation = make_operation(make_agency("SCC"), make_team("IMT-TER"))
    db.add(
        Attachment(
            operation_id=operation.id,
            filename="a.jpg",
            content_type="image/jpeg",
            size=3,
            sha256="ab" * 32,
            storage_key="ab/" + "ab" * 32,
        )
    )
    db.commit()
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "FAIL  upload files" in result.output and "1 of 1 attachments lack their file" in result.output
    Path(app.config["UPLOAD_DIR"], "ab").mkdir(parents=True)
    Path(app.config["UPLOAD_DIR"], "ab", "ab" * 32).write_bytes(b"abc")
    assert runner.invoke(args=["check"]).exit_code == 0
    with schema_said_to_be(app, "0001"):
        behind = runner.invoke(args=["check"])
    assert behind.exit_code == 1 and "FAIL  migrations" in behind.output and "ops db upgrade" in behind.output


@pytest.mark.parametrize("free_needed", [10**9])
def test_ops_check_fails_when_the_disk_is_nearly_full(app_config, free_needed):
    application = create_app({**app_config, "MIN_FREE_DISK_MB": free_needed})
    try:
        result = application.test_cli_runner().invoke(args=["check"])
    finally:
        application.extensions["ops_engine"].dispose()
    assert result.exit_code == 1 and "FAIL  disk space" in result.output
