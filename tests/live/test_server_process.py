"""Live sessions on real Daphne processes, the way an operator runs them: sockets that stay open while
nobody speaks (on Redis, where a read timeout once closed them every few seconds), a server restarted
mid-session, and frames larger than the protocol allows."""

import json
import os
import time

import pytest
from django.conf import settings
from django.test import Client
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from practice.models import Turn
from practice.services.sessions import session_create
from tests.servers import ROOT, DaphneProcess

pytestmark = pytest.mark.django_db(transaction=True)

LOGS = ROOT / "test-artifacts" / "server-process"
IDLE_SECONDS = 30


def _socket(server: DaphneProcess, path: str, user) -> ClientConnection:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "Origin": server.url}
    return connect(server.url.replace("http", "ws") + path, additional_headers=headers, open_timeout=60)


def _until(ws: ClientConnection, wanted, timeout: float = 20) -> dict:
    """The next JSON message for which `wanted` is true (audio and other messages are read past)."""
    deadline = time.monotonic() + timeout
    while True:
        frame = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
        if isinstance(frame, str) and wanted(message := json.loads(frame)):
            return message


def _typed(text: str) -> str:
    return json.dumps({"type": "text", "text": text})


def _tutor_said(fragment: str):
    return lambda m: m["type"] == "transcript" and m["role"] == "tutor" and m["final"] and fragment in m["text"]


@pytest.fixture
def server(request) -> DaphneProcess:
    process = DaphneProcess(LOGS / f"{request.node.name}.log").start()
    yield process
    process.stop()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the Redis channel layer's idle sockets need REDIS_URL")
def test_a_live_and_a_watch_socket_stay_open_through_thirty_silent_seconds_on_redis(
    server, student, teacher, classroom, lesson
):
    session = session_create(student=student, lesson=lesson)
    with (
        _socket(server, f"/ws/sessions/{session.pk}/", student) as live,
        _socket(server, f"/ws/watch/{session.pk}/", teacher) as watch,
    ):
        _until(live, lambda m: m["type"] == "turn_complete")  # the greeting, then nobody speaks
        _until(watch, lambda m: m["type"] == "watching")
        quiet_until = time.monotonic() + IDLE_SECONDS
        for ws in (live, watch):
            with pytest.raises(TimeoutError):  # silence, not a close, for the whole half minute
                while True:
                    ws.recv(timeout=max(0.1, quiet_until - time.monotonic()))
        live.send(_typed("Je voudrais un café, s'il vous plaît"))
        _until(live, _tutor_said("Et avec ça ?"))
        _until(watch, lambda m: m["type"] == "transcript" and m["role"] == "student")


def test_a_restarted_server_resumes_the_session_with_its_past_and_answers_what_was_cut_off(server, student, lesson):
    session = session_create(student=student, lesson=lesson)
    path = f"/ws/sessions/{session.pk}/"
    with _socket(server, path, student) as ws:
        _until(ws, lambda m: m["type"] == "turn_complete")
        ws.send(_typed("Je voudrait un café, s'il vous plaît"))  # a close answer: corrected, asked again
        _until(ws, lambda m: m["type"] == "transcript" and m["role"] == "tutor" and not m["final"])
        started = time.monotonic()
        server.restart()  # SIGTERM while the tutor is answering, then a new process on the same port
        with pytest.raises(ConnectionClosed):
            while True:
                ws.recv(timeout=60)
    with _socket(server, path, student) as ws:
        ready = _until(ws, lambda m: m["type"] == "ready")
        replayed = []
        while (message := _until(ws, lambda m: m["type"] in ("transcript", "status")))["type"] == "transcript":
            replayed.append(message)
        live_again = time.monotonic() - started
        assert ready["elapsed_seconds"] >= 1
        assert [m["role"] for m in replayed[:3]] == ["tutor", "student", "tutor"]  # the past, on the first ready
        assert replayed[1]["text"] == "Je voudrait un café, s'il vous plaît"
        ws.send(_typed("Je voudrais un café, s'il vous plaît"))
        _until(ws, _tutor_said("Et avec ça ?"))
    turns = list(Turn.objects.filter(session=session).order_by("index").values_list("role", "interrupted", "text"))
    assert ("tutor", True) in [(role, interrupted) for role, interrupted, _text in turns]  # cut by the stop, kept
    assert [text for _role, _i, text in turns].count("Je voudrait un café, s'il vous plaît") == 1
    print(f"live again {live_again:.1f} s after the restart began")  # shown with -s


def test_a_frame_over_a_mebibyte_is_answered_too_large_and_the_session_goes_on(server, student, lesson):
    session = session_create(student=student, lesson=lesson)
    with _socket(server, f"/ws/sessions/{session.pk}/", student) as ws:
        _until(ws, lambda m: m["type"] == "turn_complete")
        ws.send(json.dumps({"type": "text", "text": "a" * (2 * 1024 * 1024)}))
        error = _until(ws, lambda m: m["type"] == "error")
        assert (error["code"], error["fatal"]) == ("too_large", False)
        ws.send(_typed("Je voudrais un café, s'il vous plaît"))
        _until(ws, _tutor_said("Et avec ça ?"))
