"""`clearpost serve` as a real process, and the ways the outside world talks to it.

`ServeProcess` starts `python -m adapters.cli serve` with environment variables only (a SQLite
file in the test's directory unless given a PostgreSQL URL, a free port on 127.0.0.1, no
clearpost.toml), waits for /healthz, and stops it with SIGTERM. Its output goes to a file the
test can read (tracebacks, leaked post text). Every wait here is a bounded poll, so a hung
server fails the test instead of the run.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import httpx

T = TypeVar("T")

# Variables of the parent's environment that would change what serve does: never passed on.
_OWN_PREFIXES = ("CLEARPOST_", "SLACK_", "Microsoft", "TEAMS_")


def free_port() -> int:
    """A port nobody listens on right now (the kernel picks it; serve binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def eventually(probe: Callable[[], T | None], timeout: float, what: str, every: float = 0.05) -> T:
    """The first truthy result of `probe`, polled for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    for _ in range(int(timeout / every) + 1):
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            break
        time.sleep(every)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


class ServeProcess:
    """One `clearpost serve` process on 127.0.0.1 with its own SQLite file, or on the PostgreSQL
    database at `database_url` (which several processes may share)."""

    def __init__(
        self, workdir: Path, env: Mapping[str, str], *, database_url: str | None = None
    ) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.database = workdir / "clearpost.db"
        self.database_url = database_url
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_PREFIXES)}
        self.env.update(
            {
                "CLEARPOST_DATABASE_URL": database_url or f"sqlite:///{self.database}",
                "CLEARPOST_HTTP_HOST": "127.0.0.1",
                "CLEARPOST_HTTP_PORT": str(self.port),
                "CLEARPOST_TIMEZONE": "America/New_York",
                "PYTHONUNBUFFERED": "1",
            }
        )
        self.env.update(env)
        self.log_path = workdir / "serve.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(base_url=self.url, timeout=15)
        self.runs = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- lifecycle -----------------------------------------------------------------------------

    def launch(self) -> subprocess.Popen[bytes]:
        self.runs += 1
        with self.log_path.open("ab") as log:
            log.write(f"--- run {self.runs} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "adapters.cli", "serve"],
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self.process

    def start(self, timeout: float = 60.0) -> ServeProcess:
        """Launch and wait until /healthz answers 200 (or fail with serve's own output)."""
        process = self.launch()

        def healthy() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"serve exited with {process.returncode}:\n{self.output()}")
            try:
                return self.http.get("/healthz", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        eventually(healthy, timeout, "serve to answer /healthz", every=0.1)
        return self

    def run_to_exit(self, timeout: float = 60.0) -> int:
        """Launch and wait for the process to end by itself (bad settings)."""
        process = self.launch()
        try:
            return process.wait(timeout=timeout)
        finally:
            self.http.close()

    def terminate(self, timeout: float = 15.0) -> int:
        """SIGTERM, as a service manager sends it; the exit status once it stopped."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.http.close()

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------------

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def rows(self, table: str) -> int:
        """How many rows a table holds, read from the database as an operator would."""
        return int(self.query(f"SELECT count(*) FROM {table}")[0][0])  # noqa: S608

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows of one statement; parameters are `?` on SQLite and `%s` on PostgreSQL."""
        if self.database_url:
            import psycopg

            plain = self.database_url.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(plain, connect_timeout=10) as conn:
                return [tuple(row) for row in conn.execute(sql, params).fetchall()]
        with sqlite3.connect(self.database, timeout=10) as conn:
            return list(conn.execute(sql, params).fetchall())


def channels_env(**channels: Mapping[str, Any]) -> str:
    """CLEARPOST_CHANNELS as JSON: name -> {network, base_url, …}."""
    return json.dumps({name.replace("_", "-"): dict(ch) for name, ch in channels.items()})
