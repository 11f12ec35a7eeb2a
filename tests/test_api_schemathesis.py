"""Schemathesis against the running application: every API operation, bounded in time.

Zero failures: no 5xx, no answer outside the OpenAPI description, and every
invalid input refused with a 4xx. `positive_data_acceptance` is left out on
purpose: the description states the shape of a body, while the business
rules (a quantity above zero, a unit that fits the category, a start in the
past) are the forms' and answer 422 with a message per field.
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

EXCLUDED_CHECKS = "positive_data_acceptance"


@pytest.fixture
def served(app_config, make_agency, make_team, make_user, make_operation):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    for visibility in ("team", "agency", "all"):
        make_operation(scc, team, visibility=visibility)
    make_operation(scc, team, status="draft")
    lead = make_user(scc, "lead", teams=[team])
    application = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with application.test_request_context():
        _token, clear = create_token(lead, "schemathesis", 1, read_only=False)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", clear
    server.shutdown()
    thread.join(timeout=10)
    application.extensions["ops_engine"].dispose()


def test_schemathesis_finds_no_failure(served, tmp_path):
    base, token = served
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{base}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        "--exclude-checks",
        EXCLUDED_CHECKS,
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
