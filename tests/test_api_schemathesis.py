"""Schemathesis against the running application: every API operation, bounded in time.

Zero failures with every check, positive_data_acceptance included: no 5xx, no answer outside
the OpenAPI description, every invalid input refused with a 4xx, and every input the description
calls valid accepted — except where a rule depends on data or state the description cannot hold,
listed in POSITIVE_DATA_EXCEPTIONS (each operation, the extra statuses it may answer, and why).
"""

from __future__ import annotations

import shutil
import subprocess  # nosec B404 - runs the schemathesis command on our own loopback server
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ops.apitokens.services import create_token
from ops.app import create_app
from ops.liaison import headsups, services
from tests.support import releasekit

POSITIVE_DEFAULT = ["2xx", "3xx", "401", "403", "404", "409", "429"]
POSITIVE_DATA_EXCEPTIONS = {
    # the body's codes, required fields and lengths are in the schema; these rules are not:
    # a quantity that fits its unit, a start in the past, an end after the start, a team the caller
    # belongs to, agencies that exist, a seizure_row naming a row of the same body, a place or country
    # by name, `reason` only (and always) on an approved record
    "createOperation": ["422"],
    # ... and the record's version: If-Match is declared optional (its absence answers 428, not 400)
    "updateOperation": ["412", "422", "428"],
    "submitOperation": ["412", "428"],
    "returnOperation": ["412", "422", "428"],  # 422: a return needs a comment of 3 characters or more
    "approveOperation": ["412", "428"],
    # 422: H3 needs its conditions, conditions go with H3 only, H2 cannot be on a record shared with all
    "changeHandling": ["412", "422", "428"],
    # filters naming data: an agency code, a place, or a country by code or name must exist
    "listOperations": ["400"],
    "listSeizures": ["400"],
    "search": ["400"],
    "exportCsv": ["400"],
    # a value of spaces and control characters only is no identifier: 2 to 160 characters once trimmed
    "lookup": ["422"],
    # a heads-up goes to a counterpart of the caller's agency (by its code), at a crossing point of the
    # register, in a window that ends after it starts; a text of control characters Python counts as spaces
    "sendMessage": ["422"],
    "replyMessage": ["422"],
}


def _config(folder: Path) -> Path:
    lines = ["[checks.positive_data_acceptance]", f"expected-statuses = {POSITIVE_DEFAULT}", ""]
    for operation_id, extra in POSITIVE_DATA_EXCEPTIONS.items():
        lines += [
            "[[operations]]",
            f'include-operation-id = "{operation_id}"',
            f"checks.positive_data_acceptance.expected-statuses = {POSITIVE_DEFAULT + extra}",
            "",
        ]
    path = folder / "schemathesis.toml"
    path.write_text("\n".join(lines).replace("'", '"'))
    return path


@pytest.fixture
def served(app_config, db, make_agency, make_team, make_user, make_operation):
    scc, team = make_agency("SCC"), make_team("IMT-TER", kind="blo")  # a border liaison office: it writes heads-ups
    for visibility in ("team", "agency", "all"):
        make_operation(scc, team, visibility=visibility)
    make_operation(scc, team, status="draft")
    lead = make_user(scc, "lead", teams=[team])
    application = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with application.test_request_context():
        _token, clear = create_token(lead, "schemathesis", 1, read_only=False)
        _liaison(application, db, make_agency, make_user, make_operation, scc, team, lead)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", clear
    server.shutdown()
    thread.join(timeout=10)
    application.extensions["ops_engine"].dispose()


def _liaison(app, db, make_agency, make_user, make_operation, scc, team, lead) -> None:
    """A counterpart office with a delivered release and a heads-up message to SCC: ids with something behind."""
    office = releasekit.office(db, make_agency)
    releasekit.pair(app, db, scc, office)
    release = services.create(db, lead, make_operation(scc, team), office.id, False, "heroin")
    services.approve(db, make_user(scc, "supervisor"), release, False, None)
    draft = headsups.Draft(scc.id, "vehicle", "01 A 777 KA", None, None, None, "white truck", 24)
    headsups.send(db, make_user(office, "lead"), draft)


def test_schemathesis_finds_no_failure(served, tmp_path):
    base, token = served
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(_config(tmp_path)),
        "run",
        f"{base}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        "--max-examples",
        "25",
        "--max-time",
        "60",
        "--seed",
        "20261127",
        "--phases",
        "examples,coverage,fuzzing",
        "--no-color",
    ]
    assert shutil.which(command[0]) or Path(command[0]).exists()
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=tmp_path)  # nosec B603
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "No issues found" in output or "passed" in output, output[-3000:]
