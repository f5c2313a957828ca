"""The app's server (`python -m config.server`: Daphne on uvloop) in a subprocess, serving the test
database: for browser tests, and for tests that need a real server process (idle sockets on Redis, a
restart mid-session, several processes)."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .worker import test_database_url

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 120.0  # how long Daphne may take to answer /healthz on a busy machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    log: Path


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Daphne exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"Daphne did not answer within {START_TIMEOUT}s:\n{log.read_text()[-3000:]}")


class DaphneProcess:
    """One Daphne process on a fixed port; `restart()` stops it the way a deploy does (SIGTERM) and starts
    a new one on the same port."""

    def __init__(self, log: Path, *, settings: str = "config.settings.test", env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": test_database_url(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> "DaphneProcess":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        with self.log.open("a") as output:
            output.write(f"---- start {self.starts} ----\n")
            output.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "config.server", "-b", "127.0.0.1", "-p", str(self.port)],
                cwd=ROOT,
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        _wait_until_healthy(self.url, self.process, self.log)
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@contextlib.contextmanager
def daphne(log: Path, *, settings: str = "config.settings.test", env: dict[str, str] | None = None) -> Iterator[Server]:
    """Start Daphne on a free port against the test database; stop it on exit."""
    process = DaphneProcess(log, settings=settings, env=env).start()
    try:
        yield Server(url=process.url, port=process.port, log=log)
    finally:
        process.stop()
