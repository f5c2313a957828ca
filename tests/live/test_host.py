"""The host of live sessions: database persistence, and a takeover by another server process."""

import asyncio
import datetime as dt
import json
from dataclasses import replace

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from live import host as live_host
from live.store import DjangoSessionStore
from practice.models import TutorSession, UsageRecord
from practice.services.sessions import session_create
from tutor.events import CorrectionNoted, ObjectiveMet, PronunciationNoted, TextIn, TokenUsage, VocabularyNoted
from tutor.session.control import (
    StoppedWatching,
    WatchEvent,
    Watching,
    control_group,
    decode,
    encode,
    watch_group,
)
from tutor.session.store import FinishedTurn

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session(student, lesson):
    return session_create(student=student, lesson=lesson)


async def test_the_database_store_round_trips_what_a_runner_writes(session):
    store = DjangoSessionStore(
        session_id=session.pk, provider="gemini", model="gemini-2.5-flash-native-audio-preview-12-2025", recent_turns=8
    )
    now = dt.datetime.now(dt.UTC)
    await store.mark_live()
    await store.save_turn(FinishedTurn(0, "tutor", "Bonjour !", now, now, 900))
    await store.save_turn(FinishedTurn(1, "student", "Je voudrait un café", now, now, 1500))
    notes = (
        CorrectionNoted("voudrait", "voudrais", "1st person", "grammar", turn=1, rule="Conjugation.\nSpelling."),
        VocabularyNoted("un café", "used", turn=1),
        PronunciationNoted("café", "cafay", "Say -é.", estimate=False, turn=1),
        ObjectiveMet("Order a drink"),
    )
    for note in (*notes, ObjectiveMet("Order a drink")):  # an objective met twice is kept once
        await store.save_note(note)
    await store.save_handle("handle-3")
    await store.save_usage(TokenUsage(text_in=100, audio_in=1000, audio_out=500))
    state = await store.load()
    assert state.next_turn_index == 2 and state.resumption_handle == "handle-3"
    assert [t.text for t in state.turns] == ["Bonjour !", "Je voudrait un café"]
    assert state.notes == notes  # every kind of note comes back as it was taken
    assert [t.text for t in state.context.recent] == ["Bonjour !", "Je voudrait un café"]
    usage = await database_sync_to_async(UsageRecord.objects.get)()
    assert usage.total_tokens == 1600 and usage.cost_usd > 0


async def test_another_process_takes_a_live_session_over_without_ending_it(session, student, fast_offline):
    row = await database_sync_to_async(TutorSession.objects.get)(pk=session.pk)
    first = await live_host.host_for(row)
    first.runner.attach()
    async with asyncio.timeout(10):
        while first.runner.state != "live":
            await asyncio.sleep(0.01)
    # Pretend the first host lives in another process: this one no longer knows it.
    live_host.HOSTS.pop(session.pk)
    row = await database_sync_to_async(TutorSession.objects.get)(pk=session.pk)
    second = await live_host.host_for(row)
    assert first.runner.done.is_set() and second is not first
    row = await database_sync_to_async(TutorSession.objects.get)(pk=session.pk)
    assert row.status == "live"  # handed off, not ended
    state = await second.runner.store.load()
    assert state.turns and state.turns[0].role == "tutor"  # the greeting the first host wrote


async def test_celery_announces_a_new_summary_to_the_live_runner(session, fast_offline):
    row = await database_sync_to_async(TutorSession.objects.get)(pk=session.pk)
    host = await live_host.host_for(row)
    seen = asyncio.Event()
    host.runner.summary_ready = lambda through: seen.set() if through == 9 else None
    await get_channel_layer().group_send(control_group(session.pk), {"type": "live.summary", "through": 9})
    async with asyncio.timeout(5):
        await seen.wait()


@pytest.mark.parametrize(("for_budget", "fallbacks"), [(False, ["gemini"]), (True, [])])
def test_a_session_the_budget_put_offline_never_fails_over_to_a_paid_service(session, settings, for_budget, fallbacks):
    tutor = settings.TUTOR
    settings.TUTOR = replace(tutor, gemini=replace(tutor.gemini, api_key="key"), failover=("gemini", "offline"))
    TutorSession.objects.filter(pk=session.pk).update(provider="offline", offline_for_budget=for_budget)
    runner = live_host.build_runner(session.pk)
    assert [choice.provider.name for choice in runner.failover.remaining] == fallbacks


async def _next_on(layer, channel: str, timeout: float = 5) -> dict:
    async with asyncio.timeout(timeout):
        return await layer.receive(channel)


async def test_the_watch_group_gets_each_event_once_and_only_while_somebody_watches(session, fast_offline):
    layer = get_channel_layer()
    listener = await layer.new_channel()  # on the watch group, but not (yet) watching
    await layer.group_add(watch_group(session.pk), listener)
    row = await database_sync_to_async(TutorSession.objects.get)(pk=session.pk)
    host = await live_host.host_for(row)
    assert (await _next_on(layer, listener)) == {"type": "live.who_watches"}  # a starting host asks
    host.runner.attach()
    async with asyncio.timeout(10):
        while not host.runner.audience.history:  # the greeting is said, with nobody watching
            await asyncio.sleep(0.01)
    with pytest.raises(TimeoutError):
        await _next_on(layer, listener, timeout=0.3)  # nothing was published for nobody

    await layer.group_send(control_group(session.pk), encode(Watching(listener)))
    await host.runner.handle(TextIn("Je voudrais un café, s'il vous plaît"))
    kinds = []
    while "transcript" not in kinds:  # the turn's events, its notes among them in whatever order they come
        message = decode(await _next_on(layer, listener))
        assert isinstance(message, WatchEvent) and not message.last
        kinds.append(json.loads(message.frame)["type"])
    assert kinds.count("transcript") == 1

    await layer.group_send(control_group(session.pk), encode(StoppedWatching(listener)))
    async with asyncio.timeout(5):
        while host._watchers:
            await asyncio.sleep(0.01)
    while True:  # what was published before the view left, then nothing more
        try:
            await _next_on(layer, listener, timeout=0.3)
        except TimeoutError:
            break
    await host.runner.handle(TextIn("Un croissant, s'il vous plaît"))
    with pytest.raises(TimeoutError):
        await _next_on(layer, listener, timeout=0.3)
