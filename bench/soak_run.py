"""One mode of the fault run, in a process whose environment bench/soak.py set before Django started."""

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management import call_command
from django.test import Client as DjangoClient
from websockets.asyncio.client import connect

from lessons.services.lessons import lesson_create
from practice.models import ContextSummary, SessionReport, Turn, UsageRecord
from practice.services.sessions import session_create
from tests.conftest import lesson_spec, make_user
from tests.fakes.gemini_live import CloseMidTurn, Exchange, FakeGeminiLive, FakeLiveOptions
from tests.fakes.gemini_rest import FakeGeminiRest
from tests.fakes.sound import utterance
from tests.fakes.tls import make_certificate
from tests.servers import DaphneProcess
from tests.worker import start_worker, stop_worker

EXCHANGES = 44  # 88 student and tutor turns, plus the greeting
GOAWAY_EVERY_SECONDS = 15.0
FRAME_BYTES = 1280  # 40 ms at 16 kHz, as the page sends
FRESH_WITHIN_SECONDS = 60.0  # a summary's fresh connection must come this soon (tutor/session/switching.py)
BAD_TEXT_ANSWERS = 3  # the text model answers this many calls in prose, not the JSON asked for (billed all the same)


@dataclass
class Client:
    """The student's side of the socket: every JSON message kept (in a list the clients of one run share,
    so a reconnect keeps counting), with when it came."""

    ws: object
    messages: list[tuple[float, dict]]
    closed: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self) -> None:
        try:
            async for frame in self.ws:
                if isinstance(frame, str):
                    self.messages.append((time.monotonic(), json.loads(frame)))
        finally:
            self.closed.set()

    def count(self, kind: str) -> int:
        return _count(self.messages, kind)

    async def until(self, predicate, timeout: float = 30.0) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                await asyncio.sleep(0.01)

    def live_since(self, moment: float) -> float | None:
        """Seconds from `moment` to the first `live` status after it."""
        for at, message in self.messages:
            if at >= moment and message["type"] == "status" and message["state"] == "live":
                return at - moment
        return None


async def soak(mode: str, data_dir: str) -> dict:
    await sync_to_async(call_command)("migrate", verbosity=0)

    def prepare() -> tuple[int, str]:
        student, teacher = make_user("ana"), make_user("marie", "teacher")
        lesson = lesson_create(spec=lesson_spec(provider="gemini"), author=teacher)
        session = session_create(student=student, lesson=lesson)
        client = DjangoClient()
        client.force_login(student)
        return session.pk, client.cookies[settings.SESSION_COOKIE_NAME].value

    session_id, cookie = await sync_to_async(prepare)()
    messages: list[tuple[float, dict]] = []
    certificate = make_certificate(Path(data_dir))
    ended_at = time.time()
    script = tuple(Exchange(f"Phrase numéro {n} pour la soak", f"Réponse numéro {n}, très bien.") for n in range(400))
    options = FakeLiveOptions(
        script=script, silence_ms=300, pace=1.0, connection_seconds=GOAWAY_EVERY_SECONDS, goaway_notice=5.0
    )
    faults: dict[str, float | None] = {}
    async with FakeGeminiLive(certificate, options) as live:
        with FakeGeminiRest(certificate) as rest:
            common = {"GEMINI_CA_FILE": str(certificate.cert_file), "CELERY_TASK_ALWAYS_EAGER": "false"}
            server = DaphneProcess(
                Path(data_dir) / "daphne.log",
                settings="tests.e2e.gemini_settings",
                env={**common, "GEMINI_API_KEY": options.api_key, "GEMINI_BASE_URL": live.url,
                     "GEMINI_SILENCE_DURATION_MS": "300", "GEMINI_ACTIVITY_DETECTION": "service"},
            )  # fmt: skip
            worker_env = {**common, "TEST_GEMINI_API_KEY": options.api_key, "GEMINI_BASE_URL": rest.url}
            worker = start_worker(**worker_env)
            await asyncio.to_thread(server.start)
            sent_typed: list[str] = []
            spoken_sent = 0
            client = await _open(connect, server, session_id, cookie, messages)
            try:
                await client.until(lambda: client.count("turn_complete") >= 1)  # the greeting
                for exchange in range(1, EXCHANGES + 1):
                    if exchange == 12:
                        live.inject(CloseMidTurn())  # the next answer is cut: the provider drops
                        faults["provider_drop_at"] = time.monotonic()
                    if exchange == 20:
                        await asyncio.to_thread(stop_worker, worker)  # summaries cannot be written now
                        faults["worker_stop_at"] = time.monotonic()
                    if exchange == 26:
                        faults["worker_start_at"] = time.monotonic()
                        worker = start_worker(**worker_env)
                    if exchange == 28:
                        rest.answer_badly(BAD_TEXT_ANSWERS)  # the next summaries' calls: unusable, billed
                    done = client.count("turn_complete")
                    if exchange % 2:
                        text = f"Message tapé numéro {exchange}"
                        sent_typed.append(text)
                        await client.ws.send(json.dumps({"type": "text", "text": text}))
                    else:
                        spoken_sent += 1
                        speech = utterance(speech_ms=1000, pause_ms=500)
                        for start in range(0, len(speech), FRAME_BYTES):
                            await client.ws.send(speech[start : start + FRAME_BYTES])
                            await asyncio.sleep(0.04)  # real time, as a microphone would
                    await client.until(lambda target=done: _count(messages, "turn_complete") > target, timeout=60)
                    if exchange == 32:
                        faults["server_restart_at"] = moment = time.monotonic()
                        await client.ws.close()
                        await asyncio.to_thread(server.restart)
                        client = await _open(connect, server, session_id, cookie, messages)
                        faults["server_restart_live_after"] = client.live_since(moment) or await _live_after(
                            client, moment
                        )
                await client.ws.send(json.dumps({"type": "end"}))
                await client.until(lambda: client.count("ended") >= 1, timeout=30)
                ended_at = time.time()
                await _report_written(session_id)  # its call billed and recorded before the worker stops
            finally:
                await client.ws.close()
                await asyncio.to_thread(server.stop)
                stop_worker(worker)
            worker_stop_live = _offline_while(messages, faults["worker_stop_at"], faults["worker_start_at"])
            drop_live = None
            if faults.get("provider_drop_at") is not None:
                drop_live = _first_live_after(messages, faults["provider_drop_at"])

    turns = await sync_to_async(lambda: list(Turn.objects.filter(session_id=session_id).order_by("index")))()
    summaries = await sync_to_async(lambda: list(ContextSummary.objects.filter(session_id=session_id)))()
    rows = await sync_to_async(lambda: list(UsageRecord.objects.filter(session_id=session_id)))()
    billed = sum(usage["totalTokenCount"] for record in live.connections for usage in record.billed)
    billed += rest.billed_tokens
    recorded = sum(row.total_tokens for row in rows)
    students = [t for t in turns if t.role == "student"]
    typed_stored = [t.text for t in students if t.text in sent_typed]
    spoken_stored = [t for t in students if t.text not in sent_typed]
    lost = len(set(sent_typed) - set(typed_stored)) + max(0, spoken_sent - len(spoken_stored))
    duplicated = (len(typed_stored) - len(set(typed_stored))) + max(0, len(spoken_stored) - spoken_sent)
    unanswered = sum(1 for student in students if not any(t.role == "tutor" and t.index > student.index for t in turns))
    return {
        "mode": mode,
        "turns_stored": len(turns),
        "student_turns_sent": len(sent_typed) + spoken_sent,
        "student_turns_stored": len(students),
        "lost": lost,
        "duplicated": duplicated,
        "unanswered": unanswered,
        "in_order": [t.index for t in turns] == sorted(t.index for t in turns),
        "connections": len(live.connections),
        "summaries": len(summaries),
        **_fresh_after_summaries(summaries, live.connections, ended_at),
        "resumed_with_older_handle": len(older := _older_handles(live.connections)),
        "older_handles": older,
        "context_peak_tokens": max(
            (usage["promptTokenCount"] for record in live.connections for usage in record.billed), default=0
        ),
        "context_budget_tokens": settings.TUTOR.context_budget(settings.TUTOR.gemini.live_model),
        "text_calls_billed": len([call for call in rest.calls if call.billed]),
        "text_usage_rows": len([row for row in rows if row.purpose in ("summary", "report")]),
        "billed_tokens_fakes": billed,
        "usage_row_tokens": recorded,
        "billed_recorded_pct": round(100 * recorded / billed, 2) if billed else None,
        "provider_drop_live_after_s": _rounded(drop_live),
        "worker_stop_live_after_s": _rounded(worker_stop_live),
        "server_restart_live_after_s": _rounded(faults.get("server_restart_live_after")),
    }


def _fresh_after_summaries(summaries: list, connections: list, ended_at: float) -> dict:
    """For each summary, the first fresh connection (no handle) briefed with it, opened after it was written:
    how long that took. A summary written as the session ended has no connection after it to wait for."""
    delays, unfollowed, at_end = [], 0, 0
    for summary in summaries:
        written = summary.created_at.timestamp()
        fresh = next(
            (
                record.opened_at - written
                for record in connections
                if record.setup is not None and record.setup.handle is None and record.opened_at >= written
                and summary.text[:80] in record.setup.instructions
            ),
            None,
        )  # fmt: skip
        if fresh is not None:
            delays.append(fresh)
        elif ended_at - written < FRESH_WITHIN_SECONDS:
            at_end += 1
        else:
            unfollowed += 1
    return {
        "summaries_followed_fresh_within_60s": sum(delay <= FRESH_WITHIN_SECONDS for delay in delays),
        "summaries_not_followed": unfollowed,
        "summaries_at_the_end": at_end,
        "summary_to_fresh_max_s": _rounded(max(delays, default=None)),
    }


def _older_handles(connections: list) -> list[str]:
    """Connections resumed with a handle older than the newest the service had issued before they opened: each as
    "connection n: handle used, newest (seconds between them)"."""
    older = []
    for index, record in enumerate(connections):
        if record.setup is None or record.setup.handle is None:
            continue
        earlier = sorted(issued for before in connections[:index] for issued in before.handles)
        issued = [(at, handle) for at, handle in earlier if at < record.opened_at]
        if issued and issued[-1][1] != record.setup.handle:
            used = next((at for at, handle in issued if handle == record.setup.handle), None)
            gap = f"{issued[-1][0] - used:.2f} s" if used is not None else "unknown"
            older.append(f"connection {index}: {record.setup.handle} for {issued[-1][1]} ({gap} newer)")
    return older


async def _report_written(session_id: int) -> None:
    """Until the worker has written the report (ready, or failed): at most a minute."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = await sync_to_async(
            lambda: SessionReport.objects.filter(session_id=session_id).values_list("status", flat=True).first()
        )()
        if status in ("ready", "failed"):
            return
        await asyncio.sleep(0.2)


def _count(messages: list[tuple[float, dict]], kind: str) -> int:
    return sum(1 for _at, message in messages if message["type"] == kind)


async def _open(connect, server, session_id: int, cookie: str, messages: list) -> Client:
    ws = await connect(
        server.url.replace("http", "ws") + f"/ws/sessions/{session_id}/",
        additional_headers={"Cookie": f"sessionid={cookie}", "Origin": server.url},
        max_size=None,
    )
    client = Client(ws, messages)
    asyncio.get_running_loop().create_task(client.read())
    return client


async def _live_after(client: Client, moment: float) -> float | None:
    with contextlib.suppress(TimeoutError):
        await client.until(lambda: client.live_since(moment) is not None, timeout=30)
    return client.live_since(moment)


def _first_live_after(messages: list[tuple[float, dict]], moment: float) -> float | None:
    """After a drop the page is told `reconnecting`, then `live`: the wait is from the drop to that."""
    for at, message in messages:
        if at >= moment and message["type"] == "status" and message["state"] == "reconnecting":
            for later, then in messages:
                if later >= at and then["type"] == "status" and then["state"] == "live":
                    return later - moment
    return None


def _offline_while(messages: list[tuple[float, dict]], start: float, end: float) -> float | None:
    """How long the page was not live while the worker was stopped: from each status that left `live` to the
    next `live` (None: it never came back). Planned switches (`switching`) come with goAway whether or not a
    worker runs, so they do not count."""
    away, left = 0.0, None
    for at, message in messages:
        if message["type"] != "status" or not start <= at <= end + 30:
            continue
        if message["state"] not in ("live", "switching") and left is None and at <= end:
            left = at
        elif message["state"] == "live" and left is not None:
            away, left = away + at - left, None
    return None if left is not None else away


def _rounded(seconds: float | None) -> float | None:
    return round(seconds, 2) if seconds is not None else None
