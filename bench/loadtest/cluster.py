"""PostgreSQL instances of the load test's own: a primary and a streaming replica, built as the `postgres` user
(initdb, then pg_basebackup -R), on ports of their own, trust on loopback, in a temporary folder; stopped and
deleted when the `with` block ends. The machine's own cluster is never touched.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.servers import free_port

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(*argv: str) -> None:
    """Run a PostgreSQL tool as the `postgres` user (initdb and the server refuse to run as root)."""
    prefix = [] if os.geteuid() == pwd.getpwnam("postgres").pw_uid else ["runuser", "-u", "postgres", "--"]
    subprocess.run([*prefix, *argv], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603


@dataclass
class Instance:
    folder: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder.parent}"
        log = f"{self.folder}.log"
        _as_postgres(str(BIN / "pg_ctl"), "-D", str(self.folder), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        if (self.folder / "postmaster.pid").exists():
            _as_postgres(str(BIN / "pg_ctl"), "-D", str(self.folder), "-m", "fast", "-w", "stop")

    @property
    def pid(self) -> int:
        """The postmaster's process id (its children are the backends, the WAL sender or receiver, ...)."""
        return int((self.folder / "postmaster.pid").read_text().split()[0])


class ReplicaPair:
    """`with ReplicaPair() as pair:` a primary and a hot-standby replica streaming from it."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="ops-loadtest-pg-"))
        self.primary = Instance(self.root / "primary", free_port())
        self.replica = Instance(self.root / "replica", free_port())

    def __enter__(self) -> ReplicaPair:
        shutil.chown(self.root, "postgres", "postgres")
        started = time.perf_counter()
        try:
            _as_postgres(str(BIN / "initdb"), "-D", str(self.primary.folder), "-U", "postgres", "--auth=trust",
                         "-E", "UTF8", "--no-sync")  # fmt: skip
            self.primary.start()
            _as_postgres(str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
                         "-D", str(self.replica.folder), "-R", "-X", "stream", "--no-sync")  # fmt: skip
            self.replica.start()
        except BaseException:
            self.__exit__()
            raise
        print(f"primary on port {self.primary.port}, replica on {self.replica.port}: built in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        return self

    def __exit__(self, *_exc) -> None:
        for instance in (self.replica, self.primary):
            try:
                instance.stop()
            except subprocess.CalledProcessError:
                pass  # already down: the folder goes anyway
        shutil.rmtree(self.root, ignore_errors=True)
