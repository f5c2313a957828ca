"""A site of the test's own for outage tests: its own PostgreSQL (tests/services.py), migrated, with a student, a
lesson and a session made by `manage.py shell`, and Daphne processes that reach the database through a proxy the
test can cut (tests/e2e/proxy.py)."""

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from websockets.sync.client import ClientConnection, connect

from tests.e2e.proxy import DroppingProxy
from tests.servers import ROOT, DaphneProcess
from tests.services import PostgresServer

DATABASE = "tutor"
COOKIE = "sessionid"

# Run by `manage.py shell` against the site's database: a student, a lesson, a session; prints what a test needs.
SETUP = """
import json
from django.conf import settings
from django.test import Client
from lessons.services.lessons import lesson_create
from practice.services.sessions import session_create
from tests.conftest import lesson_spec, make_user
from accounts.models import Role
teacher = make_user("teacher1", Role.TEACHER)
student = make_user("student1")
lesson = lesson_create(spec=lesson_spec(), author=teacher)
session = session_create(student=student, lesson=lesson)
client = Client()
client.force_login(student)
print(json.dumps({"session": session.pk, "lesson": lesson.pk,
                  "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value}))
"""


def _environment(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@dataclass
class Site:
    postgres: PostgresServer
    proxy: DroppingProxy
    session: int
    lesson: int
    cookie: str
    journal: Path

    @property
    def proxied_url(self) -> str:
        return self.postgres.url(DATABASE, port=self.proxy.port)

    def daphne(self, log: Path, **env: str) -> DaphneProcess:
        return DaphneProcess(log, env={"DATABASE_URL": self.proxied_url, "LIVE_JOURNAL_DIR": str(self.journal), **env})

    def query(self, sql: str, *params) -> list[tuple]:
        return self.postgres.query(DATABASE, sql, *params)

    def socket(self, server: DaphneProcess) -> ClientConnection:
        headers = {"Cookie": f"{COOKIE}={self.cookie}", "Origin": server.url}
        url = server.url.replace("http", "ws") + f"/ws/sessions/{self.session}/"
        return connect(url, additional_headers=headers, open_timeout=60)

    def turns(self) -> list[tuple[int, str, str]]:
        return self.query("SELECT index, role, text FROM tutor_turn WHERE session_id = %s ORDER BY index", self.session)

    def close(self) -> None:
        self.proxy.close()
        self.postgres.close()


def make_site(directory: Path) -> Site:
    postgres = PostgresServer().start()
    postgres.create_database(DATABASE)
    direct = postgres.url(DATABASE)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=_environment(direct), check=True)
    made = subprocess.run(
        [*manage, "shell", "-c", SETUP], cwd=ROOT, env=_environment(direct), check=True, capture_output=True, text=True
    )
    facts = json.loads(made.stdout.strip().splitlines()[-1])
    journal = directory / "journal"
    return Site(postgres, DroppingProxy(postgres.port), facts["session"], facts["lesson"], facts["cookie"], journal)


def until(ws: ClientConnection, wanted, seen: list[dict], timeout: float = 60) -> dict:
    """The next JSON message for which `wanted` is true; every message read is kept in `seen`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            frame = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            raise AssertionError(f"not seen within {timeout} s; seen: {seen[-8:]}") from None
        if isinstance(frame, str):
            seen.append(message := json.loads(frame))
            if wanted(message):
                return message
