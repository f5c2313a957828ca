"""PostgreSQL cut off (a proxy in front of the test's own server refuses every connection) during a live session on a
real Daphne process: the student goes on, is told saving is delayed, and every finished turn and correction is
stored once, in order, when the database is back; meanwhile the API answers JSON 503 and a new socket 4503. A
process killed (SIGKILL) with writes waiting loses none of them: the next start writes its journal."""

import json
import time
import urllib.error
import urllib.request

import pytest
from websockets.exceptions import ConnectionClosed

from tests.live.outage_site import Site, make_site, until
from tests.servers import ROOT
from tests.services import available
from tests.worker import wait_for

pytestmark = [
    pytest.mark.outage,
    pytest.mark.skipif(not available(), reason="needs PostgreSQL's binaries and redis-server"),
]

LOGS = ROOT / "test-artifacts" / "outage"
DIALOGUE = [
    "Je voudrait un café, s'il vous plaît",  # close: corrected, asked again
    "Je voudrais un café, s'il vous plaît",
    "Un croissant, s'il vous plaît",
]
CSRF = "a" * 32


@pytest.fixture
def site(tmp_path):
    made = make_site(tmp_path)
    yield made
    made.close()


def _final_turns(seen: list[dict]) -> dict[int, tuple[str, str]]:
    return {m["turn"]: (m["role"], m["text"]) for m in seen if m["type"] == "transcript" and m["final"]}


def _post_session(site: Site, url: str) -> tuple[int, str, dict]:
    request = urllib.request.Request(
        f"{url}/api/sessions/",
        data=json.dumps({"lesson": site.lesson}).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Cookie": f"sessionid={site.cookie}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Origin": url,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type"), json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get("Content-Type"), json.loads(refused.read())


def _refused_socket(site: Site, server) -> tuple[dict, int]:
    """A new socket while the database is away: its error message and close code."""
    seen: list[dict] = []
    with site.socket(server) as ws:
        error = until(ws, lambda m: m["type"] == "error", seen)
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=30)
        return error, ws.close_code


@pytest.mark.parametrize("cut_seconds", [6, 60])
def test_a_database_cut_off_mid_session_loses_no_turn_and_the_site_says_so(site, request, cut_seconds):
    server = site.daphne(LOGS / f"{request.node.name}.log").start()
    try:
        seen: list[dict] = []
        with site.socket(server) as ws:
            until(ws, lambda m: m["type"] == "turn_complete", seen)  # the greeting, stored
            site.proxy.cut()
            cut_at = time.monotonic()
            for text in DIALOGUE:  # the last answer ends the lesson: the session ends while the database is away
                ws.send(json.dumps({"type": "text", "text": text}))
                until(ws, lambda m: m["type"] == "turn_complete", seen)
            saving = [m for m in seen if m["type"] == "saving"] or [until(ws, lambda m: m["type"] == "saving", seen)]
            assert saving == [{"type": "saving", "state": "delayed"}]
            status, content_type, body = _post_session(site, server.url)
            assert (status, content_type, body["error"]["code"]) == (503, "application/json", "unavailable")
            error, code = _refused_socket(site, server)
            assert (error["code"], error["retry_after"], code) == ("unavailable", 1, 4503)
            time.sleep(max(0.0, cut_seconds - (time.monotonic() - cut_at)))  # the outage's length is the test's input
            assert not any(m["type"] == "ended" for m in seen)  # not over for the student until it is stored
            site.proxy.restore()
            until(ws, lambda m: m["type"] == "saving" and m["state"] == "saved", seen)
            until(ws, lambda m: m["type"] == "ended", seen)
        shown = _final_turns(seen)
        stored = site.turns()
        assert [index for index, _role, _text in stored] == sorted(shown)  # none lost, none twice, in order
        assert {index: (role, text) for index, role, text in stored} == shown
        assert [text for _i, role, text in stored if role == "student"] == DIALOGUE
        corrections = [m for m in seen if m["type"] == "correction"]
        assert corrections and len(site.query("SELECT id FROM tutor_correction")) == len(corrections)
        assert site.query("SELECT status, end_reason FROM tutor_tutorsession") == [("ended", "completed")]
        print(f"cut {cut_seconds} s: {len(shown)} turns shown, {len(stored)} stored, {len(corrections)} corrections")
    finally:
        server.stop()


def test_a_process_killed_with_writes_waiting_loses_none_of_them(site, request):
    """SIGKILL while the database is away: the journal holds what was said, and the next start writes it, once."""
    log = LOGS / f"{request.node.name}.log"
    first = site.daphne(log).start()
    seen: list[dict] = []
    try:
        with site.socket(first) as ws:
            until(ws, lambda m: m["type"] == "turn_complete", seen)
            site.proxy.cut()
            for text in DIALOGUE[:2]:
                ws.send(json.dumps({"type": "text", "text": text}))
                until(ws, lambda m: m["type"] == "turn_complete", seen)
            if not any(m["type"] == "saving" for m in seen):
                until(ws, lambda m: m["type"] == "saving", seen)
            first.process.kill()  # SIGKILL: no handoff, nothing written on the way out
            first.process.wait()
            first.process = None
    finally:
        first.stop()
    shown = _final_turns(seen)
    assert len(site.turns()) < len(shown)  # what was said during the cut is not in the database yet
    assert list(site.journal.glob("journal-*.log"))
    site.proxy.restore()
    second = site.daphne(log).start()  # its start writes the dead process's journal
    try:
        wait_for(lambda: len(site.turns()) >= len(shown), timeout=120)
        wait_for(lambda: not list(site.journal.glob("journal-*.log")), timeout=60)
    finally:
        second.stop()
    stored = site.turns()
    assert {index: (role, text) for index, role, text in stored} == shown and len(stored) == len(shown)
    corrections = [m for m in seen if m["type"] == "correction"]
    assert corrections and len(site.query("SELECT id FROM tutor_correction")) == len(corrections)
    print(f"killed with writes waiting: {len(shown)} turns shown, {len(stored)} stored after the restart")
