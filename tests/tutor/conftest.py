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


@dataclass
class Harness:
    runner: SessionRunner
    provider: ScriptedProvider
    store: MemoryStore
    task: asyncio.Task
    received: list[ClientEvent]
    pump: asyncio.Task  # plays the browser, draining the outbox; cancel it to let events pile up

    async def until(self, predicate, timeout: float = 5) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                await asyncio.sleep(0.005)

    async def flush(self) -> None:
        """Let the runner process what was pushed and write what it has."""
        for _ in range(5):
            await asyncio.sleep(0.01)
        if not self.task.done():
            await self.runner.persister.drain()

    async def finished(self) -> str:
        async with asyncio.timeout(5):
            reason = await self.task
        await self.flush()
        return reason

    def of_type(self, kind) -> list:
        return [event for event in self.received if isinstance(event, kind)]


@pytest.fixture
async def harness_factory():
    harnesses: list[Harness] = []
    pumps: list[asyncio.Task] = []

    async def make(*, provider=None, store=None, lesson=LESSON, fallbacks=(), health=None, **config) -> Harness:
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
