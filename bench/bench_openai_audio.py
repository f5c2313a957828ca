"""CPU the OpenAI provider spends per second of student audio: 16→24 kHz resampling, base64, JSON and
the WebSocket send, alone and for many concurrent sessions.

The fake service runs in a child process, so `process_time()` here counts the client only. Audio is
sent as fast as the sockets take it: what is measured is CPU per second of audio, not latency. The
audio is a quiet room (below the VAD threshold), so the fake never answers and only the send path runs.
"""

import asyncio
import base64
import json
import multiprocessing
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event

import numpy as np

from tutor import persona
from tutor.audio import INPUT_RATE, StreamResampler, chunks
from tutor.brief import ContextTurn, LearnerProfile, LessonBrief, Persona, RestoredContext
from tutor.providers.openai.config import OpenAIConfig
from tutor.providers.openai.realtime import OpenAIRealtimeConnection, OpenAIRealtimeProvider

from . import Row

NAME = "openai_audio"
FRAME_BYTES = 640  # 20 ms at 16 kHz, as the browser sends it
AUDIO_SECONDS = 30  # per session
SESSIONS = (1, 10, 50)


def run() -> list[Row]:
    rows = _per_step()
    context = multiprocessing.get_context("spawn")
    ports, stop = context.Queue(), context.Event()
    child = context.Process(target=_serve_fake, args=(ports, stop), daemon=True)
    child.start()
    try:
        port = ports.get(timeout=30)
        for sessions in SESSIONS:
            cpu, wall = asyncio.run(_stream(port, sessions))
            audio = sessions * AUDIO_SECONDS
            rows.append(Row(NAME, f"client CPU per audio second, {sessions} sessions", cpu / audio * 1000, "ms"))
            rows.append(Row(NAME, f"audio sent per wall second, {sessions} sessions", audio / wall, "s/s"))
        rows.append(
            Row(NAME, "sessions one core can send for", 1000 / rows[-2].value, "sessions", "this send path only")
        )
    finally:
        stop.set()
        child.join(timeout=10)
    return rows


def _room(seconds: float) -> bytes:
    """A quiet room at about -60 dBFS: real samples to resample and encode, no speech for the VAD."""
    noise = np.random.default_rng(7).normal(0, 30, int(INPUT_RATE * seconds))
    return noise.astype("<i2").tobytes()


def _per_step() -> list[Row]:
    frames = list(chunks(_room(AUDIO_SECONDS * 5), FRAME_BYTES))
    resampler = StreamResampler(INPUT_RATE, 24_000)
    started = time.process_time()
    resampled = [resampler.process(frame) for frame in frames]
    resampling = time.process_time() - started
    started = time.process_time()
    for pcm in resampled:
        json.dumps({"type": "input_audio_buffer.append", "audio": base64.b64encode(pcm).decode("ascii")})
    encoding = time.process_time() - started
    tutor = [
        json.dumps({"type": "response.output_audio.delta", "delta": base64.b64encode(pcm).decode()})
        for pcm in resampled
    ]
    started = time.process_time()
    for message in tutor:  # the way back: tutor audio as the service sends it
        base64.b64decode(json.loads(message)["delta"])
    decoding = time.process_time() - started
    seconds = AUDIO_SECONDS * 5
    return [
        Row(NAME, "resample 16→24 kHz per audio second", resampling / seconds * 1000, "ms", "soxr HQ, 20 ms frames"),
        Row(NAME, "base64 + JSON per audio second", encoding / seconds * 1000, "ms"),
        Row(NAME, "JSON + base64 decode per tutor audio second", decoding / seconds * 1000, "ms"),
    ]


async def _stream(port: int, sessions: int) -> tuple[float, float]:
    provider = OpenAIRealtimeProvider(
        OpenAIConfig(api_key="sk-test", base_url=f"http://127.0.0.1:{port}/v1", turn_detection="server_vad")
    )
    lesson = LessonBrief("Bench", "fr-FR", "A1", "A café.", Persona("Camille"))
    context = RestoredContext(recent=(ContextTurn("tutor", "Bonjour !"),))  # no greeting: only audio flows
    setup = persona.build_setup(
        lesson=lesson, learner=LearnerProfile("Ana"), model="gpt-realtime", voice="marin", context=context
    )
    connections = await asyncio.gather(*(provider.connect(setup) for _ in range(sessions)))
    readers = [asyncio.create_task(_drain(c)) for c in connections]
    frames = list(chunks(_room(AUDIO_SECONDS), FRAME_BYTES))
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(_send_all(c, frames) for c in connections))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    for connection in connections:
        await connection.close()
    await asyncio.gather(*readers)
    return cpu, wall


async def _send_all(connection: OpenAIRealtimeConnection, frames: list[bytes]) -> None:
    for frame in frames:
        await connection.send_audio(frame)


async def _drain(connection: OpenAIRealtimeConnection) -> None:
    async for _ in connection.events():
        pass


def _serve_fake(ports: Queue, stop: Event) -> None:
    from tests.fakes.openai_realtime import FakeRealtimeServer

    async def serve() -> None:
        async with FakeRealtimeServer(record_audio=False) as fake:
            ports.put(fake.port)
            await asyncio.to_thread(stop.wait)

    asyncio.run(serve())
