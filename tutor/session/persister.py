"""Ordered writes on their own task, so the audio path never waits on the database, and none is ever dropped.

A write that fails waits and is tried again, in order, for as long as the process lives: the database may be
away for a minute and what the student said must still be stored, in the order it was said. The backoff grows
to `max_backoff` and stays there, so the writes go in within about a second of the database coming back.

The queue is bounded by `limit` (docs/deploy.md, "Outages"): past it `full` is true and the runner refuses new
input from the student until the queue drains. The runner is told by signals on its inbox: `SavingDelayed` once
a write has failed for longer than `delayed_after` seconds (a blip the student never hears of), `Saved` when
the writes go in again, `SavingFull` when the queue reached its limit, `FencedOut` when the store refused a write
because another process hosts the session now: from then on nothing more is written (`fenced`).
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from .signals import FencedOut, Inbox, Saved, SavingDelayed, SavingFull
from .store import Fenced

log = logging.getLogger(__name__)

Write = Callable[[], Awaitable[None]]
LIMIT = 5_000  # writes: a session writes a few a turn, so this is an hour-long outage of a busy session


class Persister:
    """Runs writes one at a time, in the order submitted. `depth` (writes waiting) and `failures` (failed
    attempts so far) are plain attributes for the metrics and the tests."""

    def __init__(
        self,
        *,
        inbox: Inbox | None = None,
        limit: int = LIMIT,
        backoff: float = 0.1,
        max_backoff: float = 1.0,
        delayed_after: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._queue: asyncio.Queue[Write | None] = asyncio.Queue()
        self._inbox = inbox
        self.limit = limit
        self._backoff, self._max_backoff = backoff, max_backoff
        self._delayed_after = delayed_after
        self._clock = clock
        self._task: asyncio.Task | None = None
        self._announced: SavingDelayed | SavingFull | None = None
        self.failures = 0
        self.depth = 0
        self.fenced = False

    @property
    def full(self) -> bool:
        return self.depth >= self.limit

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="persister")

    def submit(self, write: Write) -> None:
        self._queue.put_nowait(write)
        self.depth += 1
        if self.full and not isinstance(self._announced, SavingFull):
            self._announce(SavingFull())

    async def drain(self) -> None:
        """Wait until everything submitted so far is written."""
        await self._queue.join()

    async def stop(self, *, within: float | None = None) -> bool:
        """Write everything submitted, then stop. With `within`, give up waiting after that many seconds (the
        process is stopping and the journal keeps what is left, live/journal.py): False if anything was left."""
        if self._task is None:
            return True
        try:
            async with asyncio.timeout(within):
                await self.drain()
        except TimeoutError:
            self._task.cancel()
            self._task = None
            log.warning("stopped with %d writes waiting for the database", self.depth)
            return False
        self._queue.put_nowait(None)
        await self._task
        self._task = None
        return True

    async def _run(self) -> None:
        while True:
            write = await self._queue.get()
            try:
                if write is None:
                    return
                await self._write(write)
            finally:
                self._queue.task_done()

    async def _write(self, write: Write) -> None:
        failing_since: float | None = None
        pause = self._backoff
        while not self.fenced:
            try:
                await write()
            except Fenced as exc:
                log.warning("fenced: %s; nothing more is written", exc)
                self.fenced = True
                if self._inbox is not None:
                    self._inbox.post(FencedOut())
                break
            except Exception as exc:
                self.failures += 1
                if failing_since is None:
                    failing_since = self._clock()
                    log.warning("a live session write failed, trying again until it goes in: %r", exc)
                if self._clock() - failing_since >= self._delayed_after and self._announced is None:
                    self._announce(SavingDelayed())
                await asyncio.sleep(pause)
                pause = min(pause * 2, self._max_backoff)
                continue
            if self._announced is not None and self.depth - 1 < self.limit:
                self._announce(None)
            break
        self.depth -= 1

    def _announce(self, state: SavingDelayed | SavingFull | None) -> None:
        self._announced = state
        if self._inbox is not None:
            self._inbox.post(state or Saved())
