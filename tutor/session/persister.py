"""Ordered writes on their own task, so the audio path never waits on the database."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Write = Callable[[], Awaitable[None]]


class Persister:
    """Runs writes one at a time, in the order submitted; a failing write is retried, then logged."""

    def __init__(self, *, attempts: int = 3, backoff: float = 0.2) -> None:
        self._queue: asyncio.Queue[Write | None] = asyncio.Queue()
        self._attempts = attempts
        self._backoff = backoff
        self._task: asyncio.Task | None = None
        self.failures = 0

    @property
    def depth(self) -> int:
        """Writes waiting (the one being written included)."""
        return self._queue.qsize()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="persister")

    def submit(self, write: Write) -> None:
        self._queue.put_nowait(write)

    async def drain(self) -> None:
        """Wait until everything submitted so far is written."""
        await self._queue.join()

    async def stop(self) -> None:
        if self._task is None:
            return
        await self.drain()
        self._queue.put_nowait(None)
        await self._task
        self._task = None

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
        for attempt in range(1, self._attempts + 1):
            try:
                await write()
                return
            except Exception:
                if attempt == self._attempts:
                    self.failures += 1
                    log.exception("live session write failed after %d attempts", attempt)
                    return
                await asyncio.sleep(self._backoff * attempt)
