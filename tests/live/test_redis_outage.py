"""Redis stopped while the browser moves to another server process (two Daphne processes on the test's own Redis,
tests/services.py): the new process answers 4503 (retry) while Redis is away, not an exception; once Redis is
back, empty, it still finds the old host through the database, takes the session over with a new epoch, and the
student is live again within seconds with every turn kept once; the old host never ends the session."""

import json
import time

import pytest
from django.conf import settings
from django.test import Client
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from practice.models import Turn, TutorSession
from practice.services.sessions import session_create
from tests.live.outage_site import until
from tests.servers import ROOT, DaphneProcess
from tests.services import RedisServer, available

pytestmark = [
    pytest.mark.outage,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not available(), reason="needs redis-server"),
]

LOGS = ROOT / "test-artifacts" / "outage"
REDIS_DOWN_SECONDS = 10
PAGE_BACKOFF = [0.25, 0.5, 1.0, 2.0]  # static/js/live/connection.js BACKOFF_MS, without its jitter


def _connect(server: DaphneProcess, session_id: int, cookie: str):
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "Origin": server.url}
    return connect(f"{server.url.replace('http', 'ws')}/ws/sessions/{session_id}/", additional_headers=headers,
                   open_timeout=30)  # fmt: skip


def _carry_on(ws, session_id: int, seen: list[dict]) -> None:
    """On the new process: the conversation so far, then a turn, then the end."""
    replayed = [until(ws, lambda m: m["type"] == "transcript", []) for _ in range(3)]
    assert [m["turn"] for m in replayed] == [0, 1, 2]  # the conversation so far, from the database
    assert TutorSession.objects.get(pk=session_id).status == "live"
    ws.send(json.dumps({"type": "text", "text": "Je voudrais un café, s'il vous plaît"}))
    until(ws, lambda m: m["type"] == "turn_complete", seen)
    ws.send(json.dumps({"type": "end"}))
    until(ws, lambda m: m["type"] == "ended", seen)


def test_redis_stopped_while_the_browser_moves_to_another_process(student, lesson, request):
    redis = RedisServer().start()
    env = {"REDIS_URL": redis.url}
    first = DaphneProcess(LOGS / f"{request.node.name}-a.log", env=env).start()
    second = DaphneProcess(LOGS / f"{request.node.name}-b.log", env=env).start()
    session = session_create(student=student, lesson=lesson)
    client = Client()
    client.force_login(student)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    seen: list[dict] = []
    try:
        with _connect(first, session.pk, cookie) as ws:
            until(ws, lambda m: m["type"] == "turn_complete", seen)
            ws.send(json.dumps({"type": "text", "text": "Je voudrait un café, s'il vous plaît"}))
            until(ws, lambda m: m["type"] == "turn_complete", seen)
            redis.stop()
        stopped_at, back_at, refusals, attempt = time.monotonic(), None, [], 0
        while True:  # the page's reconnect schedule, to the other process
            if back_at is None and time.monotonic() - stopped_at >= REDIS_DOWN_SECONDS:
                redis.start()  # the same port, no keys: a restart
                back_at = time.monotonic()
            with _connect(second, session.pk, cookie) as ws:
                first_message = json.loads(ws.recv(timeout=60))
                if first_message["type"] == "ready":
                    live_again = time.monotonic() - back_at
                    _carry_on(ws, session.pk, seen)
                    break
                assert (first_message["code"], first_message["retry_after"]) == ("unavailable", 1)
                with pytest.raises(ConnectionClosed):
                    ws.recv(timeout=30)
                refusals.append(ws.close_code)
            time.sleep(PAGE_BACKOFF[min(attempt, len(PAGE_BACKOFF) - 1)])
            attempt += 1
    finally:
        first.stop()
        second.stop()
        redis.stop()
    assert refusals and set(refusals) == {4503}  # never an exception's 1011
    shown = {m["turn"]: (m["role"], m["text"]) for m in seen if m["type"] == "transcript" and m["final"]}
    stored = list(Turn.objects.filter(session=session).order_by("index").values_list("index", "role", "text"))
    assert {index: (role, text) for index, role, text in stored} == shown and len(stored) == len(shown)
    ended = TutorSession.objects.get(pk=session.pk)
    assert (ended.status, ended.end_reason, ended.host_epoch) == ("ended", "student", 2)
    print(f"Redis down {REDIS_DOWN_SECONDS} s: {len(refusals)} reconnects refused with 4503; live again "
          f"{live_again:.2f} s after Redis was back; {len(stored)} turns stored of {len(shown)} shown")  # fmt: skip
