"""The real app on a scratch copy for `make smoke`: its own SQLite database and data folder, the operator's tutor
settings (keys, models, voices, base URLs and CA files, prices), served by Daphne as `python -m config.server`
serves it. Nothing it writes reaches the deployment's database, broker or cache."""

import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .failure import SmokeFailure

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
LOG_LINES = 5  # of the session, the last ones: why it failed
STUDENT = "smoke-student"
TOKEN_KINDS = ("text_in", "audio_in", "image_in", "cached_in", "text_out", "audio_out")


def scratch_environment(data_dir: Path) -> dict[str, str]:
    """The operator's environment with everything that stores anything pointed into `data_dir`. Each of these
    is set, never removed: the app also reads a .env file, which only fills in what is unset."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        # As under `make run`: DEBUG on this scratch copy spares a secret key and collected static files, and
        # the plain-HTTP server on 127.0.0.1 needs no TLS redirect or secure cookies.
        "DJANGO_DEBUG": "true",
        "DJANGO_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_BEHIND_TLS_PROXY": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "TUTOR_DATA_DIR": str(data_dir),
        "DJANGO_STATIC_ROOT": str(data_dir / "static"),
        "DATABASE_URL": f"sqlite:///{data_dir / 'db.sqlite3'}",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_RESULT_BACKEND": f"file://{data_dir / 'results'}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # A provider that fails must show as failed, not be covered by the next one.
        "TUTOR_FAILOVER": "off",
        "PYTHONUNBUFFERED": "1",
    }


@dataclass(frozen=True)
class Stored:
    """What the database holds of one session: its usage rows summed, and its turns."""

    usage_rows: int
    tokens: dict[str, int]
    cost_usd: Decimal
    turns: int
    models: tuple[str, ...]


class ScratchApp:
    """Migrated and given a lesson and a student once; then one server per provider (the provider a new
    session gets is read when the server starts)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.environment = scratch_environment(data_dir)
        self.log = data_dir / "daphne.log"
        self.password = secrets.token_urlsafe(18)

    def prepare(self, language: str) -> int:
        """The demo lessons and a throwaway student; returns the id of the published lesson in `language`."""
        # Without the system checks: a model check that fails (a shut-down model in the settings) is the smoke's
        # own finding, reported per provider, and must not stop the scratch copy from being made.
        self._manage("migrate", "--noinput", "--verbosity", "0", "--skip-checks")
        self._manage("seed_demo", "--skip-checks")
        student = f"user_create(username={STUDENT!r}, password={self.password!r})"
        self._manage("shell", "--command", f"from accounts.services import user_create; {student}")
        lessons = [
            row["pk"]
            for row in self._rows("lessons.lesson")
            if row["fields"]["language"] == language and row["fields"]["published"]
        ]
        if not lessons:
            raise SmokeFailure(f"the demo data has no published lesson in {language}")
        return min(lessons)

    @contextlib.contextmanager
    def serving(self, provider: str) -> Iterator[str]:
        """Daphne on a free port of 127.0.0.1, giving new sessions `provider`; yields its base URL."""
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with self.log.open("a") as output:
            output.write(f"---- {provider} ----\n")
            output.flush()
            process = subprocess.Popen(
                [sys.executable, "-m", "config.server", "-b", "127.0.0.1", "-p", str(port)],
                cwd=ROOT,
                env={**self.environment, "TUTOR_PROVIDER": provider},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_healthy(url, process)
            yield url
        finally:
            # SIGTERM, as a deploy stops it: the server writes what its sessions still hold before it exits.
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stored(self, session_id: int) -> Stored:
        rows = self._rows("practice.usagerecord", "practice.turn")

        def of(model: str) -> list[dict]:
            return [r["fields"] for r in rows if r["model"] == model and r["fields"]["session"] == session_id]

        usage, turns = of("practice.usagerecord"), of("practice.turn")
        return Stored(
            usage_rows=len(usage),
            tokens={kind: sum(u[f"{kind}_tokens"] for u in usage) for kind in TOKEN_KINDS},
            cost_usd=sum((Decimal(u["cost_usd"]) for u in usage), Decimal(0)),
            turns=len(turns),
            models=tuple(sorted({t["model"] for t in turns if t["model"]})),
        )

    def log_lines(self, session_id: int) -> list[str]:
        """What the server logged of this session's provider: the provider's own words, which the student
        is never shown (a refused key, a wrong model)."""
        if not self.log.is_file():
            return []
        marker = re.compile(rf"\bsession {session_id}\b")
        logged = self.log.read_text(errors="replace").splitlines()
        return [line.strip()[:400] for line in logged if marker.search(line)][-LOG_LINES:]

    def models_offered(self, provider: str) -> str | None:
        """`manage.py tutor_models` for the provider: None when every model the site is set to call is offered,
        else what the service said, in its plain words."""
        done = subprocess.run(
            [sys.executable, "manage.py", "tutor_models", "--provider", provider],
            cwd=ROOT, env=self.environment, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode == 0:
            return None
        lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
        return "\n    ".join(lines or [done.stderr.strip()[-2000:]])

    def _manage(self, *arguments: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *arguments], cwd=ROOT, env=self.environment, capture_output=True, text=True
        )
        if done.returncode:
            raise SmokeFailure(f"manage.py {arguments[0]} failed:\n{done.stderr[-2000:]}")
        return done.stdout

    def _rows(self, *models: str) -> list[dict]:
        return json.loads(self._manage("dumpdata", *models, "--format", "json", "--skip-checks"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SmokeFailure(f"the server exited with {process.returncode} as it started")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.1)
    raise SmokeFailure(f"the server did not answer /healthz within {START_TIMEOUT:g} s")
