"""From the end of a student's answer to the offline tutor's reply, the VAD's own wait included, and the
same with 30 sessions speaking at once in one process.

Each session is an offline connection driven as a browser drives it: it waits for the tutor's line to
play out, then sends an expected answer with a greeting in front (an eSpeak voice the recognizer was not
built from, noise, silence after) in 40 ms frames at the pace of real time. The end of speech is the
last loud 10 ms of the answer; a frame leaves the "browser" when its 40 ms have been captured, so the
capture delay is counted too. The reply is the tutor's first audio. The event loop's lag (a 10 ms timer,
how late it fires) shows whether the recognizer stalls other sessions; the CPU of this process and of
the recognizer's worker processes is read from /proc.
"""

import asyncio
import os
import time
from dataclasses import dataclass, field

import numpy as np

from lessons.files import parse_lesson_file
from tutor.brief import LearnerProfile, LessonBrief, SessionSetup
from tutor.events import AudioOut, TurnComplete
from tutor.patience import patience_for
from tutor.persona import build_setup
from tutor.providers.offline import pool
from tutor.providers.offline.config import OfflineConfig
from tutor.providers.offline.features import loud_span, samples
from tutor.providers.offline.matching import normalize
from tutor.providers.offline.provider import OfflineProvider

from . import Row
from .speech_cases import AROUND, DEMO, HELD_OUT_VOICES, RATE, browser_audio, speech

NAME = "offline reply"
FRAME_MS = 40
FRAME_BYTES = RATE * FRAME_MS // 1000 * 2
AFTER_LINE_S = 0.6  # the browser still plays the tutor's line this long after its turn completes
SINGLE_ANSWERS = 23  # every step of the five demo lessons
CONCURRENT = 30
CONCURRENT_SECONDS = 60.0
STAGGER_SECONDS = 6.0  # the sessions start within this, as students do, not in lockstep


@dataclass
class Answer:
    pcm: bytes
    speech_end_s: float  # where the speech ends in `pcm`
    extendable: bool  # a longer expected answer begins with this one: the tutor waits 400 ms, not 100


@dataclass
class Session:
    setup: SessionSetup
    answers: list[Answer]
    start_after: float = 0.0  # seconds: browsers do not all start at once
    latencies: list[float] = field(default_factory=list)
    extendable: list[bool] = field(default_factory=list)
    misses: int = 0

    @property
    def patience_ms(self) -> int:
        return patience_for(self.setup.lesson.level, self.setup.lesson.patience).end_silence_ms

    def early(self, *, extendable: bool) -> list[float]:
        """Replies that came before the lesson's patience ran out: the answer was heard at a pause."""
        pairs = zip(self.latencies, self.extendable, strict=True)
        return [ms for ms, longer in pairs if ms < self.patience_ms and longer == extendable]


def _lessons() -> list[LessonBrief]:
    """The demo lessons as the engine sees them."""
    return [spec.brief() for spec in parse_lesson_file(DEMO.read_text(encoding="utf-8"))]


def _answers(lesson: LessonBrief, voice: tuple[str, str], seed: int) -> list[Answer]:
    greeting = AROUND[lesson.language[:2]][0]
    answers = []
    for number, step in enumerate(lesson.dialogue):
        pcm = browser_audio(speech(f"{greeting}, {step.expected[0]}", lesson.language, voice), seed=seed + number,
                            lead_ms=300, tail_ms=2000)  # fmt: skip
        end = loud_span(samples(pcm[: len(pcm) - 2000 * RATE // 1000 * 2]))[1]
        said = normalize(step.expected[0])
        longer = any(normalize(other).startswith(said + " ") for other in step.expected)
        answers.append(Answer(pcm, end / RATE, longer))
    return answers


async def _drive(session: Session, provider: OfflineProvider, *, until: float, limit: int) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(session.start_after)
    conn = await provider.connect(session.setup)
    audio_at: list[float] = []
    completed = asyncio.Event()

    async def read() -> None:
        async for event in conn.events():
            if isinstance(event, AudioOut):
                audio_at.append(loop.time())
            elif isinstance(event, TurnComplete):
                completed.set()

    reader = asyncio.create_task(read())
    try:
        for answer in session.answers[:limit]:
            await completed.wait()
            await asyncio.sleep(AFTER_LINE_S)
            if loop.time() > until:
                break
            completed.clear()
            heard_before = len(audio_at)
            start = loop.time()
            speech_end = start + answer.speech_end_s
            for index in range(0, len(answer.pcm) // FRAME_BYTES):
                delay = start + (index + 1) * FRAME_MS / 1000 - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                await conn.send_audio(answer.pcm[index * FRAME_BYTES : (index + 1) * FRAME_BYTES])
                if len(audio_at) > heard_before:
                    break  # the tutor answered: the student stops sending silence and listens
            replies = [t for t in audio_at[heard_before:] if t >= speech_end]
            if replies and replies[0] - speech_end < (session.patience_ms + 500) / 1000:
                session.latencies.append((replies[0] - speech_end) * 1000)
                session.extendable.append(answer.extendable)
            else:
                session.misses += 1  # not heard: the tutor waited out the patience and asked to type
    finally:
        await conn.close()
        reader.cancel()


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _workers() -> list[int]:
    executor = pool._executor
    return list(executor._processes) if executor is not None else []


async def _lag_probe(samples_ms: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        before = loop.time()
        await asyncio.sleep(0.01)
        samples_ms.append((loop.time() - before - 0.01) * 1000)


async def _run(sessions: list[Session], *, seconds: float, limit: int) -> dict:
    provider = OfflineProvider(OfflineConfig())
    loop = asyncio.get_running_loop()
    lag: list[float] = []
    stop = asyncio.Event()
    probe = asyncio.create_task(_lag_probe(lag, stop))
    cpu_before, workers_before, wall = time.process_time(), _cpu_seconds(_workers()), time.perf_counter()
    until = loop.time() + seconds
    await asyncio.gather(*(_drive(s, provider, until=until, limit=limit) for s in sessions))
    elapsed = time.perf_counter() - wall
    stop.set()
    await probe
    return {
        "latencies": [ms for s in sessions for ms in s.latencies],
        "early": [ms for s in sessions for ms in s.early(extendable=False)],
        "longer": [ms for s in sessions for ms in s.early(extendable=True)],
        "misses": sum(s.misses for s in sessions),
        "main_cpu": (time.process_time() - cpu_before) / elapsed * 100,
        "worker_cpu": (_cpu_seconds(_workers()) - workers_before) / elapsed * 100,
        "lag_p99": float(np.percentile(lag, 99)) if lag else 0.0,
    }


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def run() -> list[Row]:
    lessons = _lessons()
    learner = LearnerProfile("Ana")

    def setup(lesson: LessonBrief, step: int = 0) -> SessionSetup:
        handle = f"step:{step}" if step else None
        return build_setup(lesson=lesson, learner=learner, model="offline", voice="f2", resumption_handle=handle)

    # Warm up: the worker processes, eSpeak's renderings of every lesson's answers, the dictionaries.
    warm = [Session(setup(lesson), _answers(lesson, HELD_OUT_VOICES[0], 99)[:1]) for lesson in lessons]
    asyncio.run(_run(warm, seconds=30, limit=1))

    # One answer per session, each at its own step (a session resumed there, as after a reconnect).
    singles = [
        Session(setup(lesson, step), [answer])
        for n, lesson in enumerate(lessons)
        for step, answer in enumerate(_answers(lesson, HELD_OUT_VOICES[n % len(HELD_OUT_VOICES)], n * 10))
    ][:SINGLE_ANSWERS]
    one = {"latencies": [], "early": [], "longer": [], "misses": 0}
    for single in singles:  # one at a time: a lone session
        result = asyncio.run(_run([single], seconds=60, limit=1))
        for key in one:
            one[key] += result[key]

    starts = np.random.default_rng(3).uniform(0, STAGGER_SECONDS, CONCURRENT)
    crowd = [
        Session(setup(lessons[n % len(lessons)]),
                _answers(lessons[n % len(lessons)], HELD_OUT_VOICES[n % len(HELD_OUT_VOICES)], n * 100),
                start_after=float(starts[n]))
        for n in range(CONCURRENT)
    ]  # fmt: skip
    many = asyncio.run(_run(crowd, seconds=CONCURRENT_SECONDS, limit=10))
    floor = OfflineConfig().early_end_ms
    p50, p95 = _percentile(one["early"], 50), _percentile(one["early"], 95)
    return [
        Row(NAME, "one session: answer heard at a pause, reply p50", p50, "ms",
            f"{len(one['early'])} of {len(one['latencies']) + one['misses']} answers, none a longer one extends; "
            "target <= 300"),
        Row(NAME, "one session: answer heard at a pause, reply p95", p95, "ms", "target <= 300"),
        Row(NAME, "one session: answer a longer one may extend, reply p50", _percentile(one["longer"], 50), "ms",
            f"{len(one['longer'])} answers; waits 400 ms of silence for the rest"),
        Row(NAME, "one session: every answer, reply p95", _percentile(one["latencies"], 95), "ms",
            "with those that waited out a longer pause or the patience"),
        Row(NAME, "one session: p50 / the VAD's pause (floor)", p50 / floor, "ratio", f"floor {floor} ms of silence"),
        Row(NAME, f"{CONCURRENT} sessions at once: answer heard at a pause, reply p50", _percentile(many["early"], 50),
            "ms", f"{len(many['early'])} of {len(many['latencies']) + many['misses']} answers"),
        Row(NAME, f"{CONCURRENT} sessions at once: answer heard at a pause, reply p99", _percentile(many["early"], 99),
            "ms", "target <= 500, one process"),
        Row(NAME, f"{CONCURRENT} sessions at once: every answer, reply p99", _percentile(many["latencies"], 99), "ms",
            "with those that waited out a longer pause or the patience"),
        Row(NAME, f"{CONCURRENT} sessions at once: server process CPU", many["main_cpu"], "% core", "average"),
        Row(NAME, f"{CONCURRENT} sessions at once: recognizer workers CPU", many["worker_cpu"], "% core",
            f"{pool.workers_default()} processes, average"),
        Row(NAME, f"{CONCURRENT} sessions at once: event loop lag p99", many["lag_p99"], "ms",
            "a 10 ms timer's lateness"),
    ]  # fmt: skip
