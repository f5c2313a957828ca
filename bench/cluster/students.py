"""Students as protocol clients of the browser protocol (docs/protocol.md), through nginx: each types a turn,
waits for it to be shown as said (its final transcript) and for the tutor's answer, and types the next; when the
socket drops it reconnects on the page's own schedule (static/js/live/connection.js, read from there) and
types again what was never shown as said. Everything it sees is kept with the time it came."""

import asyncio
import contextlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from .services import ROOT

ANSWER_TIMEOUT_S = 20.0  # a turn the tutor has not answered by then is typed no more: the next one is
THINK_S = 3.0  # between the tutor's answer and the student's next turn (the site takes 20 typed turns a minute)
QUIET_S = 1.5  # a tutor that said nothing this long after the student connected is not about to


def page_schedule() -> tuple[list[float], float, set[int], int | None]:
    """The page's reconnect delays (s), when it gives up (s), the close codes after which it does not retry, and
    the one by which the server asks to be tried again (the give-up clock starts again)."""
    script = (ROOT / "static/js/live/connection.js").read_text()
    delays = [int(ms) / 1000 for ms in re.search(r"BACKOFF_MS = \[([^\]]+)\]", script).group(1).split(",")]
    give_up = int(re.search(r"GIVE_UP_AFTER_MS = (\d+)", script).group(1)) / 1000
    finals = {int(code) for code in re.findall(r"\[(\d{4}), \"", script.split("BACKOFF_MS")[0])}
    retry = re.search(r"RETRY_CLOSE = (\d+)", script)
    return delays, give_up, finals, int(retry.group(1)) if retry else None


@dataclass
class Student:
    number: int
    session_id: int
    url: str  # the socket through nginx
    headers: dict[str, str]
    seen: list[tuple[float, dict]] = field(default_factory=list)  # every JSON message, and closes as {"type": "close"}
    said: list[str] = field(default_factory=list)  # typed turns shown back as said (final), in order
    typed: int = 0
    gave_up: bool = False
    stopping: bool = False  # asked to end: its session is over, it no longer counts as a live student
    _ws: object = None
    _turn: int = 0

    def saw(self, message: dict) -> None:
        self.seen.append((time.monotonic(), message))

    async def run(self, stop: asyncio.Event) -> None:
        delays, give_up_s, finals, retry_close = page_schedule()
        attempt, dropped_at = 0, None
        pending: str | None = None  # typed, not yet shown as said
        while not stop.is_set() and not self.stopping:
            try:
                async with connect(self.url, additional_headers=self.headers, max_size=None, open_timeout=5) as ws:
                    self._ws = ws
                    reader = asyncio.create_task(self._read(ws))
                    try:
                        mark = len(self.seen)
                        await self._wait_for(lambda m=mark: self._came("ready", m), since=mark, ws=ws)
                        attempt, dropped_at = 0, None
                        if pending is not None and self._echoed(pending, mark):  # in the replayed conversation
                            self.said.append(pending)
                            pending = None
                        await self._wait_for(lambda m=mark: self._quiet(m), since=mark, ws=ws)
                        while not stop.is_set() and not self.stopping:
                            if pending is None:
                                self._turn += 1
                                pending = f"Élève {self.number}, phrase {self._turn}"
                            mark = len(self.seen)
                            await ws.send(json.dumps({"type": "text", "text": pending}))
                            self.typed += 1
                            shown = await self._wait_for(
                                lambda p=pending, m=mark: self._echoed(p, m), since=mark, ws=ws
                            )
                            if not shown:
                                await asyncio.sleep(THINK_S)
                                continue  # not shown (or refused as too fast): typed again, here or on the next
                            self.said.append(pending)
                            pending = None
                            await self._wait_for(lambda m=mark: self._quiet(m, answered=True), since=mark, ws=ws)
                            await asyncio.sleep(THINK_S)
                    finally:
                        reader.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await reader
            except (OSError, ConnectionClosed, InvalidStatus, TimeoutError) as failure:
                code = getattr(getattr(failure, "rcvd", None), "code", None)
                if isinstance(failure, InvalidStatus):
                    self.saw({"type": "refused", "status": failure.response.status_code})
                elif code is None and not isinstance(failure, ConnectionClosed):
                    self.saw({"type": "refused", "error": type(failure).__name__})
            last_close = self._last("close")
            if stop.is_set() or self.stopping:
                return
            if last_close is not None and last_close.get("code") in finals:
                self.gave_up = True
                return
            now = time.monotonic()
            dropped_at = dropped_at or now
            if retry_close is not None and last_close is not None and last_close.get("code") == retry_close:
                dropped_at = now  # the server answers and asks to be tried again
            if now - dropped_at > give_up_s:
                self.gave_up = True
                return
            await asyncio.sleep(delays[min(attempt, len(delays) - 1)])
            attempt += 1

    def drop(self) -> None:
        """The network under the browser goes: the socket is cut without a close (the page then reconnects)."""
        if self._ws is not None and self._ws.transport is not None:
            self._ws.transport.abort()

    async def end(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.send(json.dumps({"type": "end"}))

    async def _read(self, ws) -> None:
        try:
            async for frame in ws:
                if isinstance(frame, str):
                    self.saw(json.loads(frame))
        except ConnectionClosed:
            pass
        finally:
            close = ws.close_code
            self.saw({"type": "close", "code": close, "reason": ws.close_reason})

    async def _wait_for(self, predicate, *, since: int, ws) -> bool:
        """Until the predicate holds (True), the socket closes (raises) or the answer time runs out (False)."""
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        while time.monotonic() < deadline:
            if (held := predicate()) is not False:
                return bool(held)
            if any(message["type"] == "close" for _at, message in self.seen[since:]):
                raise ConnectionClosed(None, None)
            await asyncio.sleep(0.02)
        return False

    def _echoed(self, text: str, since: int) -> bool | None:
        """True once shown as said; None (stop waiting) when refused as too fast."""
        for _at, m in self.seen[since:]:
            if m["type"] == "transcript" and m["role"] == "student" and m["final"] and m["text"] == text:
                return True
            if m["type"] == "error" and m.get("code") == "too_fast":
                return None
        return False

    def _quiet(self, since: int, *, answered: bool = False) -> bool:
        """The tutor is not speaking: its last turn since `since` is final (a replayed one is), or it has said
        nothing for QUIET_S; `answered`: it has also said something since."""
        tutor = [m for _at, m in self.seen[since:] if m["type"] == "transcript" and m["role"] == "tutor"]
        if tutor:
            return tutor[-1]["final"]
        return not answered and bool(self.seen) and time.monotonic() - self.seen[-1][0] > QUIET_S

    def _came(self, kind: str, since: int) -> bool:
        return any(m["type"] == kind for _at, m in self.seen[since:])

    def _last(self, kind: str) -> dict | None:
        return next((m for _at, m in reversed(self.seen) if m["type"] == kind), None)


def write_log(students: list[Student], path: Path) -> None:
    with path.open("w") as out:
        for student in students:
            for at, message in student.seen:
                out.write(json.dumps({"student": student.number, "at": round(at, 3), **message}) + "\n")
