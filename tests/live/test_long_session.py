"""A simulated hour with Gemini Live: the accelerated fake (each exchange bills as much as 24 s of
speech, goAway every 10 simulated minutes), the real runner and database store, and a real Celery
worker writing summaries with the Gemini text model (REST fake). Embedded broker locally, Redis in CI."""

import asyncio
import contextlib

import pytest
from channels.db import database_sync_to_async
from django.db.models import F, Max

from live import host as live_host
from live.health import ping
from practice.models import ContextSummary, Turn, TutorSession, UsageRecord
from practice.services.sessions import session_create
from practice.services.summaries import summary_write_task
from tests.conftest import configure_tutor
from tutor.events import AudioIn, TurnCompleted
from tutor.providers import factory as provider_factory

from ..fakes.gemini_live import FakeGeminiLive, FakeLiveOptions, GoAwayMidTurn
from ..fakes.gemini_rest import FakeGeminiRest
from ..fakes.sound import utterance
from ..fakes.tls import make_certificate
from ..practice.factories import recorded_session
from ..worker import start_worker, stop_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

EXCHANGES = 150  # an exchange every 24 s for an hour
GOAWAY_EVERY = 25  # 10 minutes
SPEECH_SECONDS_PER_EXCHANGE = 24
FRAME = 640


@pytest.fixture
def fakes(tmp_path, settings, monkeypatch):
    certificate = make_certificate(tmp_path)
    audio_seconds_per_exchange = 1.0 + 0.7  # what the fake actually hears and says
    options = FakeLiveOptions(
        silence_ms=300, tokens_per_second=round(32 * SPEECH_SECONDS_PER_EXCHANGE / audio_seconds_per_exchange)
    )
    live = FakeGeminiLive(certificate, options)
    with FakeGeminiRest(certificate) as rest:
        gemini = {
            "api_key": options.api_key,
            "ca_file": str(certificate.cert_file),
            "silence_duration_ms": 300,
            "activity_detection": "service",
        }
        configure_tutor(settings, provider="gemini", gemini=gemini)
        monkeypatch.setitem(ping.app.conf, "task_always_eager", False)
        worker = start_worker(
            TEST_GEMINI_API_KEY=options.api_key, GEMINI_BASE_URL=rest.url, GEMINI_CA_FILE=str(certificate.cert_file)
        )
        provider_factory.live_provider.cache_clear()
        try:
            ping.delay().get(timeout=60)  # the worker is up, as `make run` checks before it announces
            yield live, rest
        finally:
            stop_worker(worker)
            provider_factory.live_provider.cache_clear()


async def test_an_hour_with_gemini_stays_under_budget_keeps_every_turn_and_resumes_from_summaries(
    fakes, settings, student, lesson
):
    live, rest = fakes
    async with live:
        configure_tutor(settings, gemini={"base_url": live.url})
        await database_sync_to_async(_warm_up_summaries)(student, lesson)
        session = await database_sync_to_async(session_create)(student=student, lesson=lesson)
        runner = await database_sync_to_async(live_host.build_runner)(session.pk)
        runner.attach()
        completed = 0

        async def browser() -> None:
            nonlocal completed
            while True:
                if isinstance(await runner.outbox.get(), TurnCompleted):
                    completed += 1

        reader = asyncio.create_task(browser())
        running = asyncio.create_task(runner.run())
        try:
            await _wait(lambda: completed >= 1, 30)  # the greeting
            speech = utterance(speech_ms=600, pause_ms=400)  # the pause outlasts the 300 ms end of speech
            for exchange in range(1, EXCHANGES + 1):
                if exchange % GOAWAY_EVERY == 0:
                    live.inject(GoAwayMidTurn(time_left=5.0))  # enough to finish the sentence first
                for start in range(0, len(speech), FRAME):
                    await runner.handle(AudioIn(speech[start : start + FRAME]))
                await _wait(lambda target=exchange + 1: completed >= target, 60)
                # Each exchange stands for 24 s: long enough, in real time, for the turn to be written and for a
                # summary the context asked for to be written by the worker. Here the test waits for both (on a
                # busy machine the worker is slow, and an hour is simulated in a minute).
                await runner.recorder.persister.drain()
                await _until_summarized(session.pk)
            runner.request_end("student")
            async with asyncio.timeout(30):
                await running
        finally:
            reader.cancel()
            if not running.done():
                running.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await running

    turns = await database_sync_to_async(lambda: list(Turn.objects.filter(session=session).order_by("index")))()
    assert [t.index for t in turns] == list(range(len(turns))), "every turn kept, in order"
    assert len(turns) == 2 * EXCHANGES + 1
    assert all(t.text for t in turns)
    budget = settings.TUTOR.summaries.budget_tokens
    peak = await database_sync_to_async(
        lambda: UsageRecord.objects.filter(session=session, purpose="live").aggregate(
            peak=Max(F("text_in_tokens") + F("audio_in_tokens"))
        )["peak"]
    )()
    assert 0 < peak <= budget, f"the context sent to the model peaked at {peak} tokens (budget {budget})"
    summaries = await database_sync_to_async(lambda: list(ContextSummary.objects.filter(session=session)))()
    assert len(summaries) >= 5 and rest.calls, "the worker summarized with the Gemini text model"
    assert all(s.text == rest.options.reply for s in summaries)
    resumed = [c for c in live.connections[1:] if c.setup is not None]
    assert len(resumed) >= EXCHANGES // GOAWAY_EVERY
    fresh = [c for c in resumed if c.setup.handle is None]
    assert fresh and all("What happened so far: " + rest.options.reply in c.setup.instructions for c in fresh)


def _warm_up_summaries(student, lesson) -> None:
    """A running server's worker has written summaries before; this one's first pays for loading the
    Gemini client, which at this test's speed would be twenty simulated minutes."""
    warm_up = recorded_session(student, lesson)
    summary_write_task.delay(warm_up.pk, 3).get(timeout=60)


async def _until_summarized(session_id: int) -> None:
    """Until the newest summary the session asked for is written (nothing to wait for when none is asked)."""

    def written() -> bool:
        asked = TutorSession.objects.get(pk=session_id).summary_requested_through
        summaries = ContextSummary.objects.filter(session_id=session_id)
        newest = summaries.aggregate(newest=Max("through_turn"))["newest"]
        return asked < 0 or (newest is not None and newest >= asked)

    async with asyncio.timeout(120):
        while not await database_sync_to_async(written)():
            await asyncio.sleep(0.02)


async def _wait(predicate, seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while not predicate():
            await asyncio.sleep(0.005)
