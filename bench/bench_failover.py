"""Failover, timed: a session on Gemini Live (the real SDK against the TLS fake) whose service dies in
the middle of the tutor's reply goes on with OpenAI Realtime (the real client against its fake). From
the moment the service dies to the first audio of the next provider's tutor, with the site's default
retries and backoff (RunnerConfig); and the finished turns the store still has, against those finished
before the failure. Both fakes answer at once, so what is measured is the app's own way through.
"""

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from tests.fakes.gemini_live import FakeGeminiLive, FakeLiveOptions
from tests.fakes.openai_realtime import FakeRealtimeServer, Reply
from tests.fakes.tls import make_certificate
from tutor.brief import LearnerProfile, LessonBrief, Persona
from tutor.config import RunnerConfig
from tutor.events import AudioOut, StatusChanged, TextIn, TurnCompleted
from tutor.providers.gemini.config import GeminiConfig
from tutor.providers.gemini.provider import GeminiProvider
from tutor.providers.openai.config import OpenAIConfig
from tutor.providers.openai.realtime import OpenAIRealtimeProvider
from tutor.session.failover import TutorChoice
from tutor.session.runner import SessionRunner
from tutor.session.store import MemoryStore

from . import Row

NAME = "failover"
RUNS = 5
LESSON = LessonBrief(title="Bench", language="fr-FR", level="A1", scenario="A café.", persona=Persona("Camille"))
LEARNER = LearnerProfile(name="Ana")


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        results = [asyncio.run(_one(Path(folder))) for _ in range(RUNS)]
    gaps = [gap for gap, _kept, _before in results]
    kept = sum(k for _gap, k, _before in results)
    before = sum(b for _gap, _k, b in results)
    config = RunnerConfig()
    note = f"{config.retries} attempts, backoff {config.backoff} s; {RUNS} runs"
    return [
        Row(NAME, "service dies mid-reply to the next tutor's first audio, median", statistics.median(gaps) * 1000,
            "ms", note),
        Row(NAME, "service dies mid-reply to the next tutor's first audio, slowest", max(gaps) * 1000, "ms", note),
        Row(NAME, "finished turns kept", kept, "turns", f"of {before} finished before the failure"),
    ]  # fmt: skip


async def _one(folder: Path) -> tuple[float, int, int]:
    certificate = make_certificate(folder)
    gemini = FakeGeminiLive(certificate, FakeLiveOptions(pace=1.0, reply_word_ms=300))
    async with gemini, FakeRealtimeServer() as openai:
        openai.replies.append(Reply("Me revoilà ! Où en étions-nous ?", audio_ms=300))
        store = MemoryStore()
        config = RunnerConfig()
        trust = certificate.client_context()
        runner = SessionRunner(
            session_id=1,
            provider=GeminiProvider(GeminiConfig(api_key="test-key", base_url=gemini.url, ssl_context=trust)),
            store=store, lesson=LESSON, learner=LEARNER, model="gemini-3.8-live", voice="Puck", config=config,
            fallbacks=(TutorChoice(OpenAIRealtimeProvider(OpenAIConfig(api_key="sk-test", base_url=openai.base_url)),
                                   "gpt-realtime", "marin", config),),
        )  # fmt: skip
        await runner.restore()
        runner.attach()
        task = asyncio.create_task(runner.run())
        events = runner.outbox
        await _until(events, lambda e: isinstance(e, TurnCompleted))  # the greeting, finished
        await runner.handle(TextIn("Je voudrais un café"))
        await _until(events, lambda e: isinstance(e, AudioOut))  # Gemini has begun its reply
        await runner.recorder.persister.drain()
        finished_before = len(store.turns)
        died = time.monotonic()
        await gemini.__aexit__(None, None, None)
        await _until(events, lambda e: isinstance(e, StatusChanged) and e.state == "failover")
        await _until(events, lambda e: isinstance(e, AudioOut))
        gap = time.monotonic() - died
        runner.request_end("student")
        await task
        kept = len([t for t in store.turns if t.index < finished_before])
        return gap, kept, finished_before


async def _until(outbox, predicate, timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        while not predicate(await outbox.get()):
            pass
