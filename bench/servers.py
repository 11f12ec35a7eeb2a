"""The servers the benchmark and the load test talk to: `ops serve` (gunicorn) and Datasette, on loopback ports.

Each is a child process started with its own environment, waited for until it answers, and stopped (its
process group) when the `with` block ends, whatever happened inside it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A child process serving HTTP on 127.0.0.1:port."""

    def __init__(self, argv: list[str], port: int, ready_path: str, env: dict | None = None):
        self.argv, self.port, self.ready_path, self.env = argv, port, ready_path, env
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter's scripts, fixed arguments
            self.argv,
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped with its workers
        )
        self._wait()
        return self

    def _wait(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.argv[0]} exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=5) as answer:  # noqa: S310 - loopback
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.argv[0]} did not answer on port {self.port}")

    def __exit__(self, *_exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def ops_server(url: str, workers: int = 2, port: int | None = None, extra_env: dict | None = None) -> Server:
    """`ops serve` as deployed: gunicorn with `workers` processes, the sign-in limits raised for many clients."""
    port = port or free_port()
    env = dict(
        os.environ,
        DATABASE_URL=url,
        SECRET_KEY="bench-secret-key",
        OPS_INSTANCE_PATH=str(ROOT / "bench-data" / "instance"),
        OPS_LOGIN_RATE_LIMIT="100000 per minute",
        OPS_LOGIN_ACCOUNT_RATE_LIMIT="100000 per minute",
        OPS_LOOKUP_DAILY_LIMIT="1000000000",  # the bench's analyst looks up far more than a day's allowance
        **(extra_env or {}),
    )
    argv = [str(BIN / "ops"), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    return Server(argv, port, "/healthz", env)


def datasette_server(sqlite_file: Path, port: int | None = None) -> Server:
    """Datasette over the same SQLite file, read-only, its full-text search wired to the seizures' FTS5 table,
    with time limits high enough for a million rows."""
    port = port or free_port()
    metadata = {"databases": {sqlite_file.stem: {"tables": {"seizure": {"fts_table": "seizure_fts", "fts_pk": "id"}}}}}
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115 - lives with the server
    json.dump(metadata, handle)
    handle.close()
    settings = {
        "sql_time_limit_ms": 600000,
        "facet_time_limit_ms": 600000,
        "max_returned_rows": 1000,
        "num_sql_threads": 3,
        # its table pages would otherwise try every column as a facet to suggest (about 60 more queries over
        # the matches, each up to its own time limit): ops suggests none, so the pages would not compare
        "suggest_facets": "off",
    }
    argv = [str(BIN / "datasette"), "serve", str(sqlite_file), "--port", str(port), "--metadata", handle.name]
    for name, value in settings.items():
        argv += ["--setting", name, str(value)]
    return Server(argv, port, "/-/versions.json", dict(os.environ))
