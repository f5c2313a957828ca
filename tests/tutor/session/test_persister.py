"""The persister never drops a write: it waits for the database, in order, and tells the runner only of a
delay that lasts."""

import asyncio

import pytest

from tutor.session.persister import Persister
from tutor.session.signals import FencedOut, Inbox, Saved, SavingDelayed, SavingFull
from tutor.session.store import Fenced


class Database:
    """Refuses every write while `down`; `clock` moves on a second at each refusal, so a test says how long an
    outage lasts by how many attempts it refuses."""

    def __init__(self, *, refusals: int) -> None:
        self.refusals = refusals
        self.rows: list[int] = []
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def write(self, row: int):
        async def write() -> None:
            if self.refusals > 0:
                self.refusals -= 1
                self.now += 1.0
                raise ConnectionError("the database is away")
            self.rows.append(row)

        return write


def _signals(inbox: Inbox) -> list[type]:
    found = []
    while (item := inbox.take_nowait()) is not None:
        found.append(type(item))
    return found


async def _run(database: Database, rows: int, **options) -> tuple[Persister, Inbox]:
    inbox = Inbox()
    persister = Persister(inbox=inbox, backoff=0, max_backoff=0, clock=database.clock, **options)
    persister.start()
    for row in range(rows):
        persister.submit(database.write(row))
    await persister.stop()
    return persister, inbox


@pytest.mark.asyncio
async def test_a_long_outage_loses_nothing_and_keeps_the_order():
    database = Database(refusals=60)  # a minute of refusals, far past any fixed number of attempts
    persister, inbox = await _run(database, 20)
    assert database.rows == list(range(20))
    assert persister.failures == 60 and persister.depth == 0
    assert _signals(inbox) == [SavingDelayed, Saved]


@pytest.mark.asyncio
async def test_a_blip_is_not_told_to_the_student():
    database = Database(refusals=1)  # one second: under the two seconds that make a delay worth telling
    _persister, inbox = await _run(database, 3)
    assert database.rows == [0, 1, 2] and _signals(inbox) == []


@pytest.mark.asyncio
async def test_past_its_limit_the_queue_says_it_is_full_and_then_saved():
    database = Database(refusals=5)
    persister, inbox = await _run(database, 4, limit=3)
    assert database.rows == [0, 1, 2, 3] and not persister.full
    assert _signals(inbox) == [SavingFull, Saved]


@pytest.mark.asyncio
async def test_a_stopping_process_gives_up_waiting_and_says_so():
    never = asyncio.Event()

    async def blocked() -> None:
        await never.wait()

    persister = Persister()
    persister.start()
    persister.submit(blocked)
    assert await persister.stop(within=0) is False
    assert persister.depth == 1


@pytest.mark.asyncio
async def test_a_fenced_write_stops_every_write_after_it_and_tells_the_runner():
    written: list[int] = []

    def write(row: int):
        async def run() -> None:
            if row == 1:
                raise Fenced("another process hosts the session")
            written.append(row)

        return run

    inbox = Inbox()
    persister = Persister(inbox=inbox)
    persister.start()
    for row in range(4):
        persister.submit(write(row))
    await persister.stop()
    assert written == [0] and persister.fenced and persister.depth == 0
    assert _signals(inbox) == [FencedOut]
