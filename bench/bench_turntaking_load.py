"""What turn-taking costs: 50 sessions on one event loop, each fed a 40 ms frame every 40 ms in real time,
as the session socket feeds it.

- speaking: each session's student answers the whole time (the test split's finished answers and
  mid-phrase pauses back to back: about half of it speech), with the chosen detector and with Smart Turn
  v3.2 as the model; the CPU of the whole process (the loop, the VAD, the model's thread) per session, as
  a share of one core, and the end of each finished answer to its end of turn as the loop served it;
- silent: the microphone's noise floor (-50 dBFS) and digital silence (a browser's noise suppression).
The machine is shared: `uptime`'s load is printed in the note of each row.
"""

import asyncio
import os
import time
from dataclasses import dataclass, field

import numpy as np

from tutor.turntaking.events import TurnEnded, TurnEvent
from tutor.turntaking.listener import TurnListener, default_model
from tutor.turntaking.model import TurnModel, smart_turn
from tutor.turntaking.policy import TurnPolicy

from . import Row
from .turntaking_corpus import RATE, corpus
from .turntaking_sim import percentile

NAME = "turn-taking load"
SESSIONS = 50
FRAME_MS = 40
FRAME_BYTES = RATE * FRAME_MS // 1000 * 2
SPEAKING_S = 20
SILENT_S = 10
NOISE_SEED = 5


@dataclass
class Stream:
    pcm: bytes
    answer_ends_ms: list[float] = field(default_factory=list)  # where each finished answer's speech ends
    ended_ms: list[float] = field(default_factory=list)  # wall time into the run of each TurnEnded


def speaking_streams() -> list[Stream]:
    cases = [c for c in corpus("test") if c.kind in ("finished", "pause", "filler")]
    streams = []
    for number in range(SESSIONS):
        stream, at = Stream(b""), 0.0
        chunks = []
        index = number * 7
        while at < SPEAKING_S * 1000:
            case = cases[index % len(cases)]
            index += 1
            if case.kind == "finished":
                stream.answer_ends_ms.append(at + case.speech_end_ms)
            chunks.append(case.pcm)
            at += case.duration_ms
        stream.pcm = b"".join(chunks)
        streams.append(stream)
    return streams


def silent_streams(noise: bool) -> list[Stream]:
    size = RATE * SILENT_S
    if not noise:
        return [Stream(bytes(size * 2)) for _ in range(SESSIONS)]
    rng = np.random.default_rng(NOISE_SEED)
    level = 32768 * 10 ** (-50 / 20)
    return [Stream(rng.normal(0, level, size).astype("<i2").tobytes()) for _ in range(SESSIONS)]


async def drive(streams: list[Stream], seconds: float, model: TurnModel) -> tuple[float, float, float]:
    """Feeds every stream in real time; returns the process's CPU seconds, the loop's worst lateness and the
    wall seconds until every verdict was back."""
    start = time.perf_counter()

    def listener(stream: Stream) -> TurnListener:
        def emit(event: TurnEvent) -> None:
            if isinstance(event, TurnEnded):
                stream.ended_ms.append((time.perf_counter() - start) * 1000)

        return TurnListener(policy=TurnPolicy(end_silence_ms=1500), emit=emit, model=model)

    listeners = [listener(s) for s in streams]
    frames = int(seconds * 1000 / FRAME_MS)
    cpu_before, late = time.process_time(), 0.0
    start = time.perf_counter()
    for index in range(frames):
        due = start + (index + 1) * FRAME_MS / 1000  # a frame is sent when its 40 ms have been heard
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        late = max(late, time.perf_counter() - due)
        for stream, each in zip(streams, listeners, strict=True):
            each.feed(stream.pcm[index * FRAME_BYTES : (index + 1) * FRAME_BYTES])
    for each in listeners:  # the verdicts still owed are part of the cost
        await each.settle()
    cpu = time.process_time() - cpu_before
    return cpu, late, time.perf_counter() - start


def end_delays(streams: list[Stream]) -> list[float]:
    """For each finished answer, the first end of turn at or after its last word, as served."""
    delays = []
    for stream in streams:
        for end in stream.answer_ends_ms:
            after = [t for t in stream.ended_ms if t >= end - 20]
            if after and after[0] - end < 3000:
                delays.append(after[0] - end)
    return delays


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def run() -> list[Row]:
    rows = []
    for label, model in (("chosen (Silero VAD, final lowering)", default_model()), ("Smart Turn v3.2", smart_turn())):
        streams = speaking_streams()
        cpu, late, wall = asyncio.run(drive(streams, SPEAKING_S, model))
        delays = end_delays(streams)
        rows += [
            Row(NAME, f"{label}: CPU per speaking session, {SESSIONS} sessions", 100 * cpu / SPEAKING_S / SESSIONS,
                "% of a core", f"target <= 2; the CPU {SPEAKING_S} s of audio asked for; {_load()}"),
            Row(NAME, f"{label}: end of a finished answer to end of turn, p50, {SESSIONS} sessions",
                percentile(delays, 0.5), "ms", f"p95 {percentile(delays, 0.95):.0f} ms; {len(delays)} answers"),
            Row(NAME, f"{label}: the loop's worst lateness, {SESSIONS} sessions", 1000 * late, "ms",
                f"the last verdict {1000 * (wall - SPEAKING_S):.0f} ms after the last frame"),
        ]  # fmt: skip
    for label, noise in (("noise floor -50 dBFS", True), ("digital silence", False)):
        cpu, _, wall = asyncio.run(drive(silent_streams(noise), SILENT_S, default_model()))
        rows.append(Row(NAME, f"CPU per silent session ({label}), {SESSIONS} sessions",
                        100 * cpu / SILENT_S / SESSIONS, "% of a core", _load()))  # fmt: skip
    return rows
