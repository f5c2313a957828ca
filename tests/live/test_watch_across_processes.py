"""The live view end to end: real Daphne processes, a student's socket, a teacher's page in Chromium.

With REDIS_URL set (CI) the student talks to one Daphne process and the teacher watches through
another, so the watch group crosses processes on the Redis channel layer. Without Redis the channel
layer is in-memory, so both use one process.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from practice.services.sessions import session_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The test database, as the Daphne processes must reach it."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne on {port} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.1)
    raise TimeoutError(f"daphne on {port} did not start")


@pytest.fixture
def servers() -> Iterator[tuple[str, str]]:
    """Base URLs of the process the student uses and the one the teacher uses."""
    count = 2 if os.environ.get("REDIS_URL") else 1
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    ports = [_free_port() for _ in range(count)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_for(port, process)
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        yield urls[0], urls[-1]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_teacher_watches_a_students_session_live_from_another_server(servers, classroom, student, teacher, lesson):
    playwright = pytest.importorskip("playwright.sync_api")
    from websockets.sync.client import connect

    student_url, teacher_url = servers
    session = session_create(student=student, lesson=lesson)
    student_cookie, teacher_cookie = _cookie(student), _cookie(teacher)
    ARTIFACTS.mkdir(exist_ok=True)

    ws_url = student_url.replace("http", "ws") + f"/ws/sessions/{session.pk}/"
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={student_cookie}", "Origin": student_url}
    with connect(ws_url, additional_headers=headers, open_timeout=10) as student_ws:

        def next_message(kind: str) -> dict:
            while True:
                frame = student_ws.recv(timeout=15)
                if isinstance(frame, str) and json.loads(frame)["type"] == kind:
                    return json.loads(frame)

        next_message("transcript")  # the tutor has begun its greeting
        with playwright.sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
            context = browser.new_context(viewport={"width": 1100, "height": 800})
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": teacher_cookie, "url": teacher_url}])
            page = context.new_page()
            page.goto(f"{teacher_url}/teach/sessions/{session.pk}/watch/")
            transcript = page.locator("[data-transcript]")
            transcript.get_by_text("Bonjour !", exact=False).wait_for(timeout=15_000)

            student_ws.send(json.dumps({"type": "text", "text": "Je voudrait un café, s'il vous plaît"}))
            page.locator(".turn.student .said").filter(has_text="Je voudrait un café").wait_for(timeout=15_000)
            correction = page.locator(".correction").filter(has_text="Je voudrais un café, s'il vous plaît")
            correction.wait_for(timeout=15_000)
            assert "Grammar" in correction.inner_text()  # the category's label, not its code
            page.screenshot(path=ARTIFACTS / "watch-live.png", full_page=True)

            student_ws.send(json.dumps({"type": "end"}))
            next_message("ended")
            page.locator("[data-watch-state]").get_by_role("link").wait_for(timeout=15_000)
            page.screenshot(path=ARTIFACTS / "watch-ended.png", full_page=True)
            browser.close()
