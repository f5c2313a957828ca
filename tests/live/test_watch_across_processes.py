"""The live view end to end: real Daphne processes, a student's socket, a teacher's page in Chromium.

With REDIS_URL set (CI) the student talks to one Daphne process and the teacher watches through
another, so the watch group crosses processes on the Redis channel layer. Without Redis the channel
layer is in-memory, so both use one process.
"""

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from websockets.sync.client import connect

from practice.services.sessions import session_create
from tests.servers import daphne

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Base URLs of the process the student uses and the one the teacher uses."""
    count = 2 if os.environ.get("REDIS_URL") else 1
    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(daphne(tmp_path / f"server-{number}.log")).url for number in range(count)]
        yield urls[0], urls[-1]


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_teacher_watching_from_another_server_sees_each_word_once_and_objectives_as_met(
    servers, classroom, student, teacher, lesson
):
    playwright = pytest.importorskip("playwright.sync_api")

    student_url, teacher_url = servers
    lesson.steps.filter(position=0).update(objective="Order a drink")  # met by answering the first step
    session = session_create(student=student, lesson=lesson)
    student_cookie, teacher_cookie = _cookie(student), _cookie(teacher)
    ARTIFACTS.mkdir(exist_ok=True)

    ws_url = student_url.replace("http", "ws") + f"/ws/sessions/{session.pk}/"
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={student_cookie}", "Origin": student_url}
    with connect(ws_url, additional_headers=headers, open_timeout=60) as student_ws:

        def next_message(kind: str) -> dict:
            while True:
                frame = student_ws.recv(timeout=60)
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
            transcript.get_by_text("Bonjour !", exact=False).wait_for(timeout=60_000)

            student_ws.send(json.dumps({"type": "text", "text": "Je voudrait un café, s'il vous plaît"}))
            page.locator(".turn.student .said").filter(has_text="Je voudrait un café").wait_for(timeout=60_000)
            correction = page.locator(".correction").filter(has_text="Je voudrais un café, s'il vous plaît")
            correction.wait_for(timeout=60_000)
            assert "Grammar" in correction.inner_text()  # the category's label, not its code

            # Said right this time: the word is used and learned in one answer, and the objective is met.
            student_ws.send(json.dumps({"type": "text", "text": "Je voudrais un café, s'il vous plaît"}))
            chips = page.locator('.chips .chip[data-term="un café"]')
            page.locator('.chips .chip.learned[data-term="un café"]').wait_for(timeout=60_000)
            page.locator('.objectives .objective.met[data-objective="Order a drink"]').wait_for(timeout=60_000)
            assert chips.count() == 1  # one chip per word, with its latest state
            assert chips.locator(".chip-state").text_content() == "learned"
            page.screenshot(path=ARTIFACTS / "watch-live.png", full_page=True)

            student_ws.send(json.dumps({"type": "end"}))
            next_message("ended")
            page.locator("[data-watch-state]").get_by_role("link").wait_for(timeout=60_000)
            page.screenshot(path=ARTIFACTS / "watch-ended.png", full_page=True)
            browser.close()
