"""Fixtures for engine tests: a lesson brief, a learner, and a runner harness on the scripted provider."""

import asyncio
import contextlib
from dataclasses import dataclass

import pytest

from tutor.brief import DialogueLine, LearnerProfile, LessonBrief, Persona, VocabularyEntry
from tutor.config import RunnerConfig
from tutor.events import ClientEvent
from tutor.session.runner import SessionRunner
from tutor.session.store import MemoryStore

from ..fakes.scripted import ScriptedProvider

LESSON = LessonBrief(
    title="Café in Lyon",
    language="fr-FR",
    level="A1",
    scenario="The student orders breakfast at a café.",
    persona=Persona(name="Camille", temperament="cheerful", correction_style="recast", pace="slow"),
    objectives=("Order a drink", "Ask for the bill"),
    vocabulary=(VocabularyEntry("un café", "a coffee"), VocabularyEntry("l'addition", "the bill")),
    dialogue=(
        DialogueLine(
            "Bonjour ! Qu'est-ce que vous voulez boire ?",
            ("Je voudrais un café, s'il vous plaît",),
            "Say: je voudrais un café.",
            objective="Order a drink",
        ),
        DialogueLine("Et avec ça ?", ("Un croissant, s'il vous plaît",), "Ask for a croissant."),
    ),
)
LEARNER = LearnerProfile(name="Ana", native_language="es")
# How long a test waits for what it expects before it fails: long enough for the slowest honest machine (a
# busy one), since each wait ends as soon as its condition holds.
WAIT_SECONDS = 30


@dataclass
class Harness:
    runner: SessionRunner
    provider: ScriptedProvider
    store: MemoryStore
    task: asyncio.Task
    received: list[ClientEvent]
    pump: asyncio.Task  # plays the browser, draining the outbox; cancel it to let events pile up

    async def until(self, predicate, timeout: float = WAIT_SECONDS) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                await asyncio.sleep(0.005)

    def _busy(self) -> bool:
        """Something pushed is still on its way: in a connection's queue, in the runner's inbox or being
        handled, or in the outbox the page reads."""
        connections = [c for p in {self.provider, self.runner.provider} for c in getattr(p, "connections", ())]
        pending = any(not (c.closed or c._queue.empty()) for c in connections)
        reading = not self.pump.done() and len(self.runner.outbox) > 0
        return pending or reading or not (self.runner.inbox.waiting or self.task.done())

    async def flush(self) -> None:
        """Until the runner has handled everything pushed so far and written what it has (a condition, not a
        clock: on a busy machine it simply takes longer)."""
        async with asyncio.timeout(WAIT_SECONDS):
            while True:
                while self._busy():
                    await asyncio.sleep(0.001)
                if not self.task.done():
                    await self.runner.recorder.persister.drain()
                await asyncio.sleep(0)  # what the writes posted back (a summary seen) is handled too
                if not self._busy():
                    return

    async def finished(self) -> str:
        async with asyncio.timeout(WAIT_SECONDS):
            reason = await self.task
        await self.flush()
        return reason

    def of_type(self, kind) -> list:
        return [event for event in self.received if isinstance(event, kind)]


@pytest.fixture
async def harness_factory():
    harnesses: list[Harness] = []
    pumps: list[asyncio.Task] = []

    async def make(
        *, provider=None, store=None, lesson=LESSON, fallbacks=(), health=None, vad=None, turn_model=None, **config
    ) -> Harness:
        """`vad`, `turn_model`: the student's turn-taking's (None: the real ones, tutor/turntaking)."""
        provider = provider or ScriptedProvider()
        store = store or MemoryStore()
        runner = SessionRunner(
            fallbacks=fallbacks,
            health=health,
            session_id=1,
            provider=provider,
            store=store,
            lesson=lesson,
            learner=LEARNER,
            model="scripted-model",
            voice="f2",
            config=RunnerConfig(**{"max_seconds": 60, "backoff": 0.01, **config}),
            vad=vad,
            turn_model=turn_model,
        )
        await runner.restore()  # as the host does, so the first attach sees where the session stands
        received: list[ClientEvent] = list(runner.attach())

        async def pump() -> None:
            while True:
                received.append(await runner.outbox.get())

        pump_task = asyncio.create_task(pump())
        task = asyncio.create_task(runner.run())
        harness = Harness(runner, provider, store, task, received, pump_task)
        pumps.append(pump_task)
        harnesses.append(harness)
        return harness

    yield make
    for pump_task in pumps:
        pump_task.cancel()
    for harness in harnesses:
        if not harness.task.done():
            harness.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await harness.task
