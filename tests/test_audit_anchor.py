"""The audit chain's head compared with its last event, and anchored outside the database."""

from __future__ import annotations

import json

from sqlalchemy import text

from ops import anchor, audit
from tests.support.databases import ON_POSTGRES


def _write_events(db, n: int) -> None:
    for i in range(n):
        audit.record(db, "test_action", object_type="thing", object_id=i, detail={"i": i})
    db.commit()


def _bypass_append_only(db):
    """Play the attacker with database access: switch the guard off for this session."""
    if ON_POSTGRES:
        db.exec(text("SET session_replication_role = replica"))
    else:
        db.exec(text("DROP TRIGGER auditevent_no_update"))
        db.exec(text("DROP TRIGGER auditevent_no_delete"))


def _cut_back_to(db, seq: int) -> None:
    """Delete the events after `seq` and rewind the head row to match: the rest still verifies."""
    _bypass_append_only(db)
    last = db.exec(text("SELECT hash FROM auditevent WHERE seq = :s").bindparams(s=seq)).one()[0]
    db.exec(text("DELETE FROM auditevent WHERE seq > :s").bindparams(s=seq))
    db.exec(text("UPDATE audithead SET seq = :s, last_hash = :h").bindparams(s=seq, h=last))
    db.commit()


def test_verify_compares_the_head_rows_hash_with_the_last_event(db, runner):
    _write_events(db, 3)
    db.exec(text("UPDATE audithead SET last_hash = :h").bindparams(h="f" * 64))
    db.commit()
    result = audit.verify(db)
    assert not result.ok and "head row's hash" in result.reason
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1


def test_anchor_is_signed_and_verifies(app, db, runner, tmp_path):
    _write_events(db, 4)
    out = tmp_path / "anchor.json"
    made = runner.invoke(args=["audit", "anchor", "--out", str(out)])
    assert made.exit_code == 0, made.output
    kept = json.loads(out.read_text())
    assert kept["seq"] == 4 and len(kept["hash"]) == 64 and len(kept["signature"]) == 64
    _write_events(db, 2)  # the chain goes on after the anchor
    checked = runner.invoke(args=["audit", "verify", "--anchor", str(out)])
    assert checked.exit_code == 0 and "anchor found" in checked.output
    printed = runner.invoke(args=["audit", "anchor"])  # standard output
    assert printed.exit_code == 0 and json.loads(printed.output)["seq"] == 6


def test_a_chain_cut_back_behind_the_anchor_is_detected_though_the_head_was_rewound(db, runner, tmp_path):
    _write_events(db, 6)
    out = tmp_path / "anchor.json"
    runner.invoke(args=["audit", "anchor", "--out", str(out)])
    _cut_back_to(db, 3)
    assert audit.verify(db).ok  # without the anchor nothing shows
    result = runner.invoke(args=["audit", "verify", "--anchor", str(out)])
    assert result.exit_code == 1 and "before the anchor's event 6" in result.output


def test_a_rewritten_tail_is_detected_by_the_anchor(app, db, tmp_path):
    _write_events(db, 5)
    kept = anchor.make_anchor(db, app.config["SECRET_KEY"])
    _cut_back_to(db, 2)
    _write_events(db, 3)  # new events 3..5 written over the deleted ones, chain and head consistent
    assert audit.verify(db).ok
    result = anchor.verify_with_anchor(db, anchor.read_anchor(json.dumps(kept), app.config["SECRET_KEY"]))
    assert not result.ok and result.broken_seq == 5 and "hash differs" in result.reason


def test_an_altered_or_foreign_anchor_is_refused(app, db, runner, tmp_path):
    _write_events(db, 2)
    kept = anchor.make_anchor(db, app.config["SECRET_KEY"])
    out = tmp_path / "anchor.json"
    out.write_text(json.dumps({**kept, "seq": 1}))
    altered = runner.invoke(args=["audit", "verify", "--anchor", str(out)])
    assert altered.exit_code == 1 and "signature does not match" in altered.output
    out.write_text(json.dumps(anchor.make_anchor(db, "another-installation")))
    assert "signature does not match" in runner.invoke(args=["audit", "verify", "--anchor", str(out)]).output
    out.write_text("not json")
    assert "not an audit anchor" in runner.invoke(args=["audit", "verify", "--anchor", str(out)]).output
