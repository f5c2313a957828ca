"""What the Gemini provider tests share: a lesson, the fake's fast options, and ways to talk and wait."""

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace

from tests.fakes.gemini_live import FakeGeminiLive, FakeLiveOptions
from tests.fakes.tls import TestCertificate
from tutor import persona
from tutor.audio import bytes_for_ms, chunks
from tutor.brief import LearnerProfile, LessonBrief, Persona, SessionSetup, VocabularyEntry
from tutor.config import RunnerConfig
from tutor.events import AudioIn, ProviderEvent, TurnComplete
from tutor.providers.gemini.config import GeminiConfig
from tutor.providers.gemini.provider import GeminiConnection, GeminiProvider
from tutor.session.runner import SessionRunner
from tutor.session.store import MemoryStore

MODEL = "gemini-3.8-live"
LESSON = LessonBrief(
    title="Café in Lyon",
    language="fr-FR",
    level="A1",
    scenario="Order breakfast at a café.",
    persona=Persona("Camille"),
    objectives=("Order a drink", "Ask for the bill"),
    vocabulary=(VocabularyEntry("un café", "a coffee"), VocabularyEntry("l'addition", "the bill")),
)
LEARNER = LearnerProfile(name="Ana", native_language="es")
# Short pauses end a turn quickly; the fake takes its end of speech from the setup, as the service does.
SILENCE_MS = 300
FAST = FakeLiveOptions(silence_ms=SILENCE_MS)
FRAME = bytes_for_ms(20, 16_000)  # the browser's frame size


def provider_for(fake: FakeGeminiLive, certificate: TestCertificate, **changes: object) -> GeminiProvider:
    config = GeminiConfig(
        api_key=fake.options.api_key,
        base_url=fake.url,
        ssl_context=certificate.client_context(),
        activity_detection="service",  # the fake hears the student (its own VAD); the app's turns: their own tests
        silence_duration_ms=SILENCE_MS,
        greet_first=False,  # the scripted exchanges start with the student; one test covers the greeting
    )
    return GeminiProvider(replace(config, **changes))


def lesson_setup(*, model: str = MODEL, handle: str | None = None, **changes: object) -> SessionSetup:
    setup = persona.build_setup(lesson=LESSON, learner=LEARNER, model=model, voice="Kore", resumption_handle=handle)
    return replace(setup, **changes)


async def speak(conn: GeminiConnection, pcm: bytes) -> None:
    for frame in chunks(pcm, FRAME):
        await conn.send_audio(frame)


async def speak_to(runner: SessionRunner, pcm: bytes) -> None:
    for frame in chunks(pcm, FRAME):
        await runner.handle(AudioIn(frame))


async def events_until(conn: GeminiConnection, done: Callable[[ProviderEvent], bool], within: float = 10) -> list:
    """Events up to and including the first for which `done` is true."""
    seen: list[ProviderEvent] = []

    async def read() -> None:
        async for event in conn.events():
            seen.append(event)
            if done(event):
                return

    await asyncio.wait_for(read(), within)
    return seen


def turn_complete(event: ProviderEvent) -> bool:
    return isinstance(event, TurnComplete)


async def eventually(condition: Callable[[], bool], within: float = 10) -> None:
    """Waits for a condition, failing after a generous time (only there to stop a hang, never a timing test)."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def runner_for(provider: GeminiProvider, store: MemoryStore, *, model: str = MODEL, **config: object) -> SessionRunner:
    settings = {"max_seconds": 120, "backoff": 0.05, "goaway_margin": 0.5, **config}
    runner = SessionRunner(
        session_id=1,
        provider=provider,
        store=store,
        lesson=LESSON,
        learner=LEARNER,
        model=model,
        voice="Kore",
        config=RunnerConfig(**settings),
    )
    runner.attach()
    return runner
