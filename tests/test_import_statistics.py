"""An import into PostgreSQL analyses the tables it writes as they grow (ops/importer/statistics.py), so that its own
statements are planned for the rows it wrote, not for the empty tables it started from; SQLite needs none."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from tests.support.databases import ON_POSTGRES
from tests.support.importing import generated_file, make_demo_orgs


@pytest.fixture
def orgs(make_agency, make_team):
    return make_demo_orgs(make_agency, make_team)


def _analyses(app) -> list[str]:
    """The ANALYZE statements the app's engine runs from now on."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_rest):
        if statement.lstrip().upper().startswith("ANALYZE"):
            seen.append(statement)

    event.listen(app.extensions["ops_engine"], "before_cursor_execute", note)
    return seen


def test_an_import_analyses_what_it_wrote_once_it_outgrew_the_statistics(app, runner, db, orgs, tmp_path):
    seen = _analyses(app)
    result = runner.invoke(args=["import", str(generated_file(tmp_path / "s.csv", 2500, seed=11)), "--agency", "SCC"])
    assert result.exit_code == 0, result.output
    if not ON_POSTGRES:
        assert seen == []
        return
    # the tables were empty: analysed after the first batch (2,000 seizures); the last 500 do not double them
    assert len(seen) == 1 and "seizure" in seen[0] and "identifierkey" in seen[0]
    known = db.execute(text("SELECT reltuples FROM pg_class WHERE oid = 'seizure'::regclass")).scalar()
    assert known >= 2000  # made inside the import's transaction, of its own rows, and kept by its commit
