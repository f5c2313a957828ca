"""A PostgreSQL and a Redis of the test's own (their own data directories and ports, never the machine's shared
servers), which a test may stop, start and cut off behind a proxy (tests/e2e/proxy.py) to see what the app does
while they are away."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import redis

from tests.servers import free_port

START_TIMEOUT = 60.0


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise FileNotFoundError(f"no PostgreSQL {name} under /usr/lib/postgresql")
    return found[-1]


def available() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb")) and shutil.which("redis-server") is not None


def _wait(ready, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {START_TIMEOUT} s")


class PostgresServer:
    """initdb in a temporary directory, on a free port, trusting local connections (the test's own)."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="pg-own-"))
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.directory, nobody.pw_uid, nobody.pw_gid)
        self.data = self.directory / "data"
        self.port = free_port()
        self.user = "tutor"
        subprocess.run(
            [_postgres_bin("initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--no-sync"],
            check=True,
            capture_output=True,
            **_as_postgres(),
        )

    def url(self, database: str, *, port: int | None = None) -> str:
        return f"postgres://{self.user}@127.0.0.1:{port or self.port}/{database}"

    def start(self) -> "PostgresServer":
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [_postgres_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.directory / "log"), "start"],
            check=True,
            capture_output=True,
            **_as_postgres(),
        )
        _wait(self._answers, "PostgreSQL")
        return self

    def stop(self) -> None:
        subprocess.run(
            [_postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            **_as_postgres(),
        )

    def create_database(self, name: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def query(self, database: str, sql: str, *params) -> list[tuple]:
        with psycopg.connect(self.url(database)) as connection:
            return connection.execute(sql, params).fetchall()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _answers(self) -> bool:
        try:
            with psycopg.connect(self.url("postgres"), connect_timeout=1):
                return True
        except psycopg.OperationalError:
            return False


def _as_postgres() -> dict:
    """PostgreSQL refuses to run as root: as root, the server runs as `nobody` in a directory it owns."""
    if os.geteuid() != 0:
        return {}
    nobody = pwd.getpwnam("nobody")
    return {"user": nobody.pw_uid, "group": nobody.pw_gid}


class RedisServer:
    """redis-server on a free port, no persistence: stopping it loses every key, as a restart does."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(self._answers, "Redis")
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def _answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.ConnectionError:
            return False
