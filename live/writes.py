"""One trip to the database thread for many writes: every live session of the process hands its writes
and reads here, and whatever is waiting when the database thread comes free goes in one trip, in one
transaction, each call in a savepoint of its own.

A trip per write (what `database_sync_to_async` does when each session calls it alone) costs a switch
of threads, a look at the connection before and after, and a commit: at a hundred sessions that was a
quarter of the process's time. The calls keep their order (each session's persister submits them one
at a time anyway); a call that fails rolls back alone and raises to its caller, which retries it.
"""

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from django.db import transaction

log = logging.getLogger(__name__)
T = TypeVar("T")
Call = Callable[[], Any]
Outcome = tuple[bool, Any]  # (succeeded, the result or the exception)


def run_batch(calls: list[Call]) -> list[Outcome]:
    """On the database thread: every call, in order, inside one transaction. A task a call queued on
    commit that cannot be sent (the broker is away) is logged: what was written stands."""
    outcomes: list[Outcome] = []
    committed = []
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: committed.append(True))  # the first hook: runs once the commit is done
            for call in calls:
                try:
                    with transaction.atomic():
                        outcomes.append((True, call()))
                except Exception as exc:  # this call's savepoint is rolled back; the others stand
                    outcomes.append((False, exc))
    except Exception:
        if not committed:
            raise
        log.exception("a task queued by a live session's write could not be sent")
    return outcomes


class BatchedDatabase:
    """Bound to the event loop that first uses it (a test's new loop starts a new queue)."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: list[tuple[Call, asyncio.Future]] = []
        self._trip: asyncio.Task | None = None
        self.trips = 0  # for the benchmark and the tests: how many trips the calls took
        self.calls = 0

    async def run(self, function: Callable[..., T], /, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop, self._waiting, self._trip = loop, [], None
        future = loop.create_future()
        self._waiting.append((partial(function, **kwargs), future))
        if self._trip is None:
            self._trip = loop.create_task(self._travel(), name="database-writes")
        return await future

    async def _travel(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                self.trips += 1
                self.calls += len(batch)
                try:
                    outcomes = await database_sync_to_async(run_batch)([call for call, _future in batch])
                except Exception as exc:  # the transaction itself failed (the database is away): all of it did
                    outcomes = [(False, exc)] * len(batch)
                for (_call, future), (succeeded, value) in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue
                    if succeeded:
                        future.set_result(value)
                    else:
                        future.set_exception(value)
        finally:
            self._trip = None


DATABASE = BatchedDatabase()
