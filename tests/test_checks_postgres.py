"""`ops check` on PostgreSQL: the memory and JIT settings that 1–10 million seizures need, warned about (never
failed) when far off; and the read replica when DATABASE_READ_URL names one."""

from __future__ import annotations

import re

import pytest

from ops.app import create_app
from ops.checks import MB, setting_checks
from tests.support.databases import ON_POSTGRES, read_only_url

ADVISED = {"shared_buffers": 4096 * MB, "effective_cache_size": 12288 * MB, "work_mem": 32 * MB}


def _warned(checks) -> set[str]:
    return {check.name.removeprefix("postgresql ") for check in checks if check.warning}


def test_advised_settings_pass_quietly():
    checks = setting_checks(ADVISED, "off")
    assert _warned(checks) == set() and all(check.ok for check in checks)


def test_debians_defaults_are_far_off_for_millions_of_seizures():
    defaults = {"shared_buffers": 128 * MB, "effective_cache_size": 4096 * MB, "work_mem": 4 * MB}
    checks = setting_checks(defaults, "on")
    assert _warned(checks) == {"shared_buffers", "work_mem", "jit"}
    shared = next(check for check in checks if check.name == "postgresql shared_buffers")
    assert shared.detail == "128 MB (advised for 1–10 million seizures: 512 MB to 64 GB)"
    assert all(check.ok for check in checks)  # warnings, not failures


def test_autovacuum_off_is_worth_a_warning():
    checks = setting_checks(ADVISED, "off", "off")
    assert _warned(checks) == {"autovacuum"} and all(check.ok for check in checks)
    assert _warned(setting_checks(ADVISED, "off", "on")) == set()


def test_too_much_work_mem_is_far_off_too():
    assert _warned(setting_checks(ADVISED | {"work_mem": 2048 * MB}, "off")) == {"work_mem"}


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's settings")
def test_ops_check_reports_the_servers_settings_and_still_passes(runner):
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for name in ("shared_buffers", "effective_cache_size", "work_mem"):
        assert any(line.split()[0] in {"ok", "warn"} and f"postgresql {name}" in line for line in lines), name
    assert any(line.startswith("ok") and "postgresql jit" in line and "off in ops' sessions" in line for line in lines)
    assert any(line.split()[0] in {"ok", "warn"} and "postgresql autovacuum" in line for line in lines)


def test_ops_check_names_the_read_replica(app_config, db_url):
    application = create_app(app_config | {"DATABASE_READ_URL": read_only_url(db_url)})
    try:
        result = application.test_cli_runner().invoke(args=["check"])
    finally:
        application.extensions["ops_read_engine"].dispose()
        application.extensions["ops_engine"].dispose()
    assert result.exit_code == 0, result.output
    # here the read URL is the primary itself, read-only: on PostgreSQL not a standby, which is worth a warning
    expected = r"warn  read replica +reachable, not a standby$" if ON_POSTGRES else r"ok    read replica +reachable$"
    assert re.search(expected, result.output, re.MULTILINE), result.output


def test_ops_check_fails_on_an_unreachable_read_replica(app_config, tmp_path):
    missing = f"sqlite:///file:{tmp_path / 'nowhere' / 'x.sqlite3'}?mode=ro&uri=true"
    application = create_app(app_config | {"DATABASE_READ_URL": missing})
    try:
        result = application.test_cli_runner().invoke(args=["check"])
    finally:
        application.extensions["ops_read_engine"].dispose()
        application.extensions["ops_engine"].dispose()
    assert result.exit_code == 1 and "FAIL  read replica" in result.output and "not reachable" in result.output


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's settings")
def test_ops_sessions_plan_each_statement_for_its_values(app):
    """psycopg prepares a statement run five times; PostgreSQL may then plan it once for any values (a generic
    plan), which made the programme report's statements 15-30 times slower. ops' sessions never take one."""
    with app.extensions["ops_engine"].connect() as connection:
        assert connection.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_custom_plan"
        assert connection.exec_driver_sql("SHOW jit").scalar() == "off"
