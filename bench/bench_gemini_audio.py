"""What sending the student's audio to Gemini Live costs, by chunk size: CPU per send and batching delay.

The fake service runs on its own thread and event loop, so `time.thread_time()` on this thread counts the
client's work only (SDK, JSON, base64, TLS). Three ways to send the same chunk are timed back to back: the
SDK's `send_realtime_input`, a lean send of the byte-identical JSON on the SDK's socket, and the JSON and
base64 alone. Back to back, the socket write is often left to the event loop and escapes the timing; so
N sessions then stream 20 ms browser frames in real time, and the whole thread's CPU, less a baseline
that only keeps time, is the true cost. Those runs also measure how long batching holds audio back
before the service's VAD hears it.
"""

import asyncio
import statistics
import tempfile
import threading
import time
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import replace
from itertools import accumulate
from pathlib import Path

from google.genai import types

from tests.fakes.gemini_live import FakeGeminiLive, FakeLiveOptions
from tests.fakes.tls import TestCertificate, make_certificate
from tutor import persona
from tutor.audio import bytes_for_ms, silence
from tutor.brief import LearnerProfile, LessonBrief, Persona
from tutor.providers.gemini.config import GeminiConfig
from tutor.providers.gemini.provider import AUDIO_MIME, GeminiConnection, GeminiProvider, audio_message

from . import Row

NAME = "gemini_audio"
CHUNK_MS = (20, 40, 60, 100)
CALLS = 400  # timed sends per chunk size and way of sending
SESSIONS = 4  # concurrent sessions streaming in real time
PACED_SECONDS = 3.0
FRAME_MS = 20  # what the browser sends
LESSON = LessonBrief(title="Bench", language="fr-FR", level="A1", scenario="Chat.", persona=Persona("Camille"))


class FakeOnItsOwnThread:
    """The fake service on a second thread and event loop, so its CPU is not counted as the client's."""

    def __init__(self, certificate: TestCertificate) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        # A long end of speech: silence and noise never make the fake answer, so only sending is measured.
        self.fake = FakeGeminiLive(certificate, FakeLiveOptions(silence_ms=60_000))

    def __enter__(self) -> FakeGeminiLive:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.__aenter__(), self.loop).result()
        return self.fake

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.__aexit__(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as directory:
        certificate = make_certificate(Path(directory))
        with FakeOnItsOwnThread(certificate) as fake:
            return asyncio.run(_measure(fake, certificate))


async def _measure(fake: FakeGeminiLive, certificate: TestCertificate) -> list[Row]:
    provider = GeminiProvider(
        GeminiConfig(
            api_key=fake.options.api_key,
            base_url=fake.url,
            ssl_context=certificate.client_context(),
            greet_first=False,  # the audio path alone: no tutor greeting in the measurements
        )
    )
    setup = persona.build_setup(lesson=LESSON, learner=LearnerProfile("Ana"), model="gemini-3.8-live", voice="Puck")
    rows = [await _byte_identity(provider, setup, fake)]
    for chunk_ms in CHUNK_MS:
        rows += await _per_call(provider, setup, chunk_ms)
    rows.append(await _paced_baseline())
    for chunk_ms in CHUNK_MS:
        for sdk in (True, False):
            rows += await _paced(provider, setup, fake, chunk_ms, sdk=sdk)
    return rows


async def _byte_identity(provider: GeminiProvider, setup, fake: FakeGeminiLive) -> Row:
    conn = await provider.connect(setup)
    pcm = bytes(range(256)) * 5  # every byte value, so the url-safe alphabet shows
    await conn._session.send_realtime_input(audio=types.Blob(data=pcm, mime_type=AUDIO_MIME))
    await conn._session._ws.send(audio_message(pcm))
    await conn.close()
    record = fake.connections[-1]
    await _until(lambda: len(record.of_kind("audio")) == 2)
    sdk, lean = (r.raw for r in record.of_kind("audio"))
    return Row(NAME, "lean send is byte-identical to the SDK's", float(sdk == lean), "bool", f"{len(sdk)} chars")


async def _per_call(provider: GeminiProvider, setup, chunk_ms: int) -> list[Row]:
    """CPU of one send, sending back to back (the fake's own CPU is on the other thread)."""
    pcm = silence(chunk_ms, 16_000)
    blob = types.Blob(data=pcm, mime_type=AUDIO_MIME)
    conn = await provider.connect(setup)
    session = conn._session

    async def sdk() -> None:
        await session.send_realtime_input(audio=blob)

    async def lean() -> None:
        await session._ws.send(audio_message(pcm))

    async def encode_only() -> None:
        audio_message(pcm)

    costs = {}
    for label, send in (("SDK send_realtime_input", sdk), ("lean send", lean), ("JSON+base64 only", encode_only)):
        samples = []
        for _ in range(CALLS):
            started = time.thread_time()
            await send()
            samples.append(time.thread_time() - started)
        costs[label] = statistics.median(samples) * 1e6
    await conn.close()
    return [
        Row(NAME, f"back to back, {label}, {chunk_ms} ms chunks", micros, "µs/call", f"median of {CALLS}")
        for label, micros in costs.items()
    ]


async def _paced_baseline() -> Row:
    """The same real-time loop with no sending: what the rows below spend beyond it is the send path."""

    async def stream() -> None:
        start = time.monotonic()
        for i in range(int(PACED_SECONDS * 1000 / FRAME_MS)):
            await asyncio.sleep(max(0.0, start + i * FRAME_MS / 1000 - time.monotonic()))

    cpu, wall = time.thread_time(), time.monotonic()
    await asyncio.gather(*(stream() for _ in range(SESSIONS)))
    cpu, wall = time.thread_time() - cpu, time.monotonic() - wall
    note = f"{SESSIONS} sessions, {FRAME_MS} ms frames, {PACED_SECONDS:g} s"
    return Row(NAME, "real time, frames not sent (baseline)", cpu / wall / SESSIONS * 100, "% core/session", note)


async def _paced(provider: GeminiProvider, setup, fake: FakeGeminiLive, chunk_ms: int, *, sdk: bool) -> list[Row]:
    """N sessions stream 20 ms frames in real time, batched to `chunk_ms`, through the provider (its lean
    send) or through the SDK's send_realtime_input; the whole thread's CPU counts, syscalls and TLS too."""
    batching = GeminiProvider(replace(provider.config, audio_chunk_ms=chunk_ms))
    conns = [await batching.connect(setup) for _ in range(SESSIONS)]
    records = fake.connections[-SESSIONS:]
    frame = silence(FRAME_MS, 16_000)
    frames = int(PACED_SECONDS * 1000 / FRAME_MS)
    handed: list[list[float]] = [[] for _ in conns]

    async def stream(index: int, conn: GeminiConnection) -> None:
        pending, chunk_bytes = b"", bytes_for_ms(chunk_ms, 16_000)
        start = time.monotonic()
        for i in range(frames):
            await asyncio.sleep(max(0.0, start + i * FRAME_MS / 1000 - time.monotonic()))
            handed[index].append(time.monotonic())
            if not sdk:
                await conn.send_audio(frame)
                continue
            pending += frame
            if len(pending) >= chunk_bytes:
                blob, pending = types.Blob(data=pending, mime_type=AUDIO_MIME), b""
                await conn._session.send_realtime_input(audio=blob)

    cpu, wall = time.thread_time(), time.monotonic()
    await asyncio.gather(*(stream(i, c) for i, c in enumerate(conns)))
    cpu, wall = time.thread_time() - cpu, time.monotonic() - wall
    expected = bytes_for_ms(FRAME_MS, 16_000) * (frames - frames % (chunk_ms // FRAME_MS))
    await _until(lambda: all(len(r.audio) >= expected for r in records))
    for conn in conns:
        await conn.close()
    way = "SDK send_realtime_input" if sdk else "provider (lean send)"
    note = f"{SESSIONS} sessions, {FRAME_MS} ms frames, {PACED_SECONDS:g} s"
    rows = [Row(NAME, f"real time, {way}, {chunk_ms} ms chunks", cpu / wall / SESSIONS * 100, "% core/session", note)]
    if sdk:
        return rows
    delays = []
    for times, record in zip(handed, records, strict=True):
        arrivals = [r.at for r in record.of_kind("audio")]
        ends = list(accumulate(len(r.data) for r in record.of_kind("audio")))
        for i, at in enumerate(times):
            message = bisect_left(ends, (i + 1) * len(frame))
            if message < len(arrivals):
                delays.append((arrivals[message] - at) * 1000)
    return [
        *rows,
        Row(NAME, f"real time, {chunk_ms} ms chunks: delay to the service", statistics.mean(delays), "ms mean", note),
        Row(NAME, f"real time, {chunk_ms} ms chunks: delay to the service", max(delays), "ms max", note),
    ]


async def _until(condition: Callable[[], bool]) -> None:
    """Polls what the fake recorded: it runs on another loop, whose asyncio.Event this one cannot await."""
    while not condition():
        await asyncio.sleep(0.01)
