"""Possible duplicates at import: a file another agency imported before is found, row by row."""

from __future__ import annotations

from sqlalchemy import select

from ops.models import Seizure, SeizureLink
from tests.support.importing import generated_file, make_demo_orgs


def test_a_second_agencys_import_of_the_same_seizures_finds_each_pair(runner, db, make_agency, make_team, tmp_path):
    orgs = make_demo_orgs(make_agency, make_team)
    path = generated_file(tmp_path / "seizures.csv", 150, seed=3)
    for agency in ("SCC", "SBS"):
        result = runner.invoke(args=["import", str(path), "--agency", agency])
        assert result.exit_code == 0, result.output
    db.expire_all()
    first, second = (_keys(db, orgs[code].id) for code in ("SCC", "SBS"))
    links = {(link.seizure_id, link.other_id): link for link in db.exec(select(SeizureLink)).scalars()}
    # every row has a kg-equivalent or a quantity and unit, a time and a place: its twin is found
    twins = {tuple(sorted((first[key], second[key]))) for key in first}
    assert twins <= set(links), f"{len(twins - set(links))} of {len(twins)} pairs not found"
    assert all(links[pair].found_at == "import" and links[pair].status == "candidate" for pair in twins)


def _keys(db, agency_id: int) -> dict[str, int]:
    """The agency's imported seizures: their row keys in the file -> ids."""
    rows = db.exec(select(Seizure.import_key, Seizure.id).where(Seizure.owner_agency_id == agency_id))
    return dict(rows.all())
