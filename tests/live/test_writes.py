"""The batched trips to the database thread: many sessions' writes in one trip, each in its savepoint."""

import asyncio
import datetime as dt

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from live.store import DjangoSessionStore
from live.writes import BatchedDatabase
from practice.models import Turn
from practice.services.recording import turn_record
from practice.services.sessions import session_create
from tests.conftest import make_user
from tutor.session.store import FinishedTurn

pytestmark = pytest.mark.django_db(transaction=True)
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


@pytest.fixture
def sessions(lesson):
    students = [make_user(f"batch{number}") for number in range(10)]
    return [session_create(student=student, lesson=lesson) for student in students]


async def test_writes_of_many_sessions_at_once_go_in_fewer_trips_and_all_land(sessions):
    database = BatchedDatabase()
    stores = [
        DjangoSessionStore(session_id=s.pk, provider="offline", model="", recent_turns=8, database=database)
        for s in sessions
    ]
    await asyncio.gather(
        *(
            store.save_turn(FinishedTurn(index, "student", f"turn {index}", NOW, NOW))
            for store in stores
            for index in range(3)
        )
    )
    assert database.calls == 30 and database.trips < 5  # the first trip takes one; the rest wait for the next
    stored = await database_sync_to_async(lambda: sorted(Turn.objects.values_list("session_id", "index")))()
    assert stored == sorted((s.pk, index) for s in sessions for index in range(3))


async def test_a_failing_call_raises_to_its_caller_alone_and_the_others_of_its_trip_stand(sessions):
    database = BatchedDatabase()
    good, bad = sessions[0].pk, sessions[1].pk

    def fails() -> None:
        turn_record(session_id=bad, index=0, role="student", text="rolled back", started_at=NOW, ended_at=NOW)
        raise RuntimeError("this write fails")

    results = await asyncio.gather(
        database.run(turn_record, session_id=good, index=0, role="tutor", text="a", started_at=NOW, ended_at=NOW),
        database.run(fails),
        database.run(turn_record, session_id=good, index=1, role="student", text="b", started_at=NOW, ended_at=NOW),
        return_exceptions=True,
    )
    assert isinstance(results[1], RuntimeError) and not isinstance(results[0], Exception)
    texts = await database_sync_to_async(
        lambda: list(Turn.objects.order_by("session_id", "index").values_list("text", flat=True))
    )()
    assert texts == ["a", "b"]  # the failing call's own write was rolled back with its savepoint


async def test_results_come_back_to_each_caller_in_order(sessions):
    database = BatchedDatabase()
    answers = await asyncio.gather(*(database.run(lambda number=number: number * 2) for number in range(20)))
    assert answers == [number * 2 for number in range(20)]


async def test_a_task_that_cannot_be_queued_after_the_commit_does_not_undo_what_was_written(sessions, caplog):
    database = BatchedDatabase()

    def queues_a_task_that_fails() -> str:
        transaction.on_commit(lambda: (_ for _ in ()).throw(ConnectionError("the broker is away")))
        return "written"

    first = database.run(turn_record, session_id=sessions[0].pk, index=0, role="tutor", text="a", started_at=NOW,
                         ended_at=NOW)  # fmt: skip
    results = await asyncio.gather(first, database.run(queues_a_task_that_fails))
    assert results[1] == "written" and "could not be sent" in caplog.text
    assert await database_sync_to_async(Turn.objects.filter(text="a").exists)()
