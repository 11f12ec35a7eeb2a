"""Throttling holds across server processes: two gunicorn workers, with Redis and without it.

A real server (gunicorn -w 2 on a free loopback port) runs against a temporary
SQLite database migrated with `ops db upgrade`, with a user made by `ops user
create`. Parallel sign-in attempts on one account land on both workers (the
access log names the worker's pid). The per-account limit is counted in the
database, so exactly the limit gets through whether the per-address counters are
in Redis or in each worker's memory (before it was counted in the database, the
memory run let each worker count only its own share). The database's failure
counter, too, counts every attempt that got through, whichever worker took it.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess  # nosec B404  # tests start our own server
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ops.config import PROJECT_ROOT

REDIS = ("127.0.0.1", 6379)
ACCOUNT_LIMIT = 4
ATTEMPTS = 16
DEADLINE_SECONDS = 90  # the whole test, server start included
OPS = str(Path(sys.executable).parent / "ops")


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(tmp_path: Path, storage: str, prefix: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPS_")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'ops.sqlite3'}",
            "OPS_INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": uuid.uuid4().hex,
            "REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0" if storage == "redis" else "",
            "OPS_RATELIMIT_KEY_PREFIX": prefix,
            "OPS_LOGIN_RATE_LIMIT": "1000 per minute",
            "OPS_LOGIN_ACCOUNT_RATE_LIMIT": f"{ACCOUNT_LIMIT} per minute",
            "OPS_LOGIN_LOCKOUT_THRESHOLD": "1000",
        }
    )
    return env


def _prepare_database(env: dict) -> None:
    for argv in (
        [OPS, "db", "upgrade"],
        [OPS, "agency-create", "SCC", "State Customs Committee"],
        [
            OPS,
            "user",
            "create",
            "--username",
            "target",
            "--name",
            "Target Officer",
            "--agency",
            "SCC",
            "--role",
            "officer",
        ],
    ):
        subprocess.run(
            argv,
            env=env,
            cwd=PROJECT_ROOT,
            check=True,
            capture_output=True,  # nosec B603  # fixed argv
            timeout=60,
        )


def _request(port: int, method: str, path: str, body: str = "", headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read().decode()
    finally:
        conn.close()


def _pids(log: Path, method: str, path: str) -> list[str]:
    lines = log.read_text().splitlines() if log.exists() else []
    return [line.split()[0] for line in lines if line.split()[1:3] == [method, path]]


def _wait_until_both_workers_answer(port: int, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(lambda _: _request(port, "GET", "/healthz"), range(4)))
        except OSError:
            time.sleep(0.3)
            continue
        if len(set(_pids(log, "GET", "/healthz"))) >= 2:
            return
    raise AssertionError("gunicorn did not bring up two answering workers in time")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # the group of the server this test started
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def _hammer(port: int) -> list[int]:
    status, cookie, html = _request(port, "GET", "/login")
    assert status == 200
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    body = f"username=target&password=wrong-password-123&csrf_token={token}"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie.split(";")[0]}
    with ThreadPoolExecutor(4) as pool:
        return [r[0] for r in pool.map(lambda _: _request(port, "POST", "/login", body, headers), range(ATTEMPTS))]


def _run(tmp_path: Path, storage: str, prefix: str) -> tuple[list[int], set[str], int]:
    """Start the server, hammer one account, stop the server: (statuses, worker pids, failures in the DB)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    env = _environment(tmp_path, storage, prefix)
    _prepare_database(env)
    port, log = _free_port(), tmp_path / "access.log"
    with open(tmp_path / "server.err", "wb") as errors:
        server = subprocess.Popen(  # nosec B603  # fixed argv, our own interpreter
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "30",
                "--access-logfile",
                str(log),
                "--access-logformat",
                "%(p)s %(m)s %(U)s %(s)s",
                "ops.wsgi:app",
            ],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
        try:
            _wait_until_both_workers_answer(port, log, deadline)
            statuses = _hammer(port)
            assert time.monotonic() < deadline, "took too long"
            time.sleep(0.2)  # let gunicorn flush the access log
            pids = set(_pids(log, "POST", "/login"))
        finally:
            _stop(server)
    with sqlite3.connect(tmp_path / "ops.sqlite3") as db:
        failures = db.execute("SELECT failed_logins FROM user WHERE username = 'target'").fetchone()[0]
    return statuses, pids, failures


@pytest.fixture
def key_prefix():
    prefix = f"ops-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    if _redis_up():
        import redis

        client = redis.Redis(*REDIS)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        client.close()


def test_the_account_limit_holds_across_two_workers_with_redis(tmp_path, key_prefix):
    if not _redis_up():
        if os.environ.get("OPS_TEST_REQUIRE_REDIS"):
            pytest.fail("Redis is not answering at 127.0.0.1:6379")
        pytest.skip("Redis is not running at 127.0.0.1:6379 (start redis-server to run this test)")
    statuses, pids, failures = _run(tmp_path, "redis", key_prefix)
    assert len(pids) == 2, "the attempts did not reach both workers"
    assert sorted(statuses) == [401] * ACCOUNT_LIMIT + [429] * (ATTEMPTS - ACCOUNT_LIMIT)
    assert failures == ACCOUNT_LIMIT  # the database counted each attempt that got through, on either worker


def test_the_account_limit_holds_across_two_workers_without_redis(tmp_path, key_prefix):
    statuses, pids, failures = _run(tmp_path, "memory", key_prefix)
    assert len(pids) == 2, "the attempts did not reach both workers"
    assert sorted(statuses) == [401] * ACCOUNT_LIMIT + [429] * (ATTEMPTS - ACCOUNT_LIMIT)
    assert failures == ACCOUNT_LIMIT
