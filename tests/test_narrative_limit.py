"""One narrative limit for every channel: the form, the API (and its schema) and `ops import`.

Before the fix `ops import` stored narratives of 100,000 characters that the form then refused,
so such a record could never be amended.
"""

from __future__ import annotations

from ops import vocab
from ops.api.openapi import document
from tests.support.importing import generated_file, make_demo_orgs, read_rows, stored_counts, write_rows

LIMIT = vocab.NARRATIVE_MAX_LENGTH


def test_the_limit_is_the_forms(app):
    from ops.operations.forms import OperationForm

    with app.test_request_context():
        lengths = [v for v in OperationForm.narrative.kwargs["validators"] if hasattr(v, "max")]
    assert [v.max for v in lengths] == [LIMIT] == [20_000]


def test_import_refuses_a_narrative_over_the_limit_and_stores_nothing(runner, db, make_agency, make_team, tmp_path):
    make_demo_orgs(make_agency, make_team)
    rows = read_rows(generated_file(tmp_path / "good.csv", 20, seed=3))
    rows[4]["narrative"] = "x" * 100_000
    rows[7]["narrative"] = "y" * LIMIT  # exactly the limit is fine
    result = runner.invoke(args=["import", str(write_rows(tmp_path / "long.csv", rows)), "--agency", "SCC"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("line 6 narrative:")]
    assert len(lines) == 1 and lines[0].endswith(f"longer than {LIMIT} characters")
    assert "line 9 narrative" not in result.output
    assert stored_counts(db)["operations"] == 0


def test_api_refuses_a_narrative_over_the_limit(db, make_agency, make_team, make_user, api_as):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    lead = make_user(scc, "lead", teams=[team])
    body = {
        "title": "Heroin",
        "op_type": "checkpoint_inspection",
        "started_at": "2026-03-01T08:00:00+05:00",
        "place_code": "AYRITOM",
        "narrative": "x" * (LIMIT + 1),
        "visibility": "agency",
        "seizures": [{"category": "drugs", "commodity": "heroin", "quantity": "1", "unit": "kg"}],
    }
    response = api_as(lead).post("/api/v1/operations", json=body)
    assert response.status_code == 422
    assert "narrative" in [error["field"] for error in response.json["errors"]]


def test_the_api_schema_states_the_same_limit(app):
    with app.test_request_context():
        spec = document()
    assert spec["components"]["schemas"]["OperationWrite"]["properties"]["narrative"]["anyOf"][0]["maxLength"] == LIMIT


def test_import_refuses_narratives_that_joined_would_pass_the_limit(runner, db, make_agency, make_team, tmp_path):
    make_demo_orgs(make_agency, make_team)
    rows = read_rows(generated_file(tmp_path / "good.csv", 20, seed=3))
    ref = rows[0]["operation_ref"]
    same = [row for row in rows if row["operation_ref"] == ref]
    twins = [dict(same[0], seizure_id=f"{same[0]['seizure_id']}-{n}") for n in range(3)]
    for n, row in enumerate(twins):
        row["narrative"] = str(n) * 8_000  # three distinct texts: the third makes 24,004 characters
    result = runner.invoke(args=["import", str(write_rows(tmp_path / "joined.csv", rows + twins)), "--agency", "SCC"])
    assert result.exit_code == 1
    line = len(rows) + 4  # the header, the rows, then the third twin
    assert f"line {line} narrative:" in result.output and "together would be longer than 20000" in result.output
    assert stored_counts(db)["operations"] == 0


def test_a_narrative_repeated_on_every_row_counts_once(runner, db, make_agency, make_team, tmp_path):
    make_demo_orgs(make_agency, make_team)
    rows = read_rows(generated_file(tmp_path / "good.csv", 20, seed=3))
    ref = rows[0]["operation_ref"]
    twins = [dict(rows[0], seizure_id=f"{rows[0]['seizure_id']}-{n}", narrative="z" * 15_000) for n in range(3)]
    for row in rows:
        if row["operation_ref"] == ref:
            row["narrative"] = "z" * 15_000
    result = runner.invoke(args=["import", str(write_rows(tmp_path / "same.csv", rows + twins)), "--agency", "SCC"])
    assert result.exit_code == 0, result.output
