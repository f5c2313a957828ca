"""End of the student's speech → the tutor's first audio, through the whole app: a Daphne process, the browser
protocol (tutor/protocol.py) from a client that plays the page, and the tutor service's fake answering 200 ms
after it is told the turn is over (`think_seconds`); or the offline tutor, one session and 30 at once.

The client sends a French answer rendered by eSpeak NG (a voice the turn model was not fitted on, a greeting in
front, a -50 dBFS noise floor, silence after) in 40 ms frames at the pace of real time, once the tutor's previous
line has played out. The end of speech is the moment the frame holding its last loud 10 ms left the "browser";
the reply is the first binary frame after it. With the live services, a sentence said over the tutor's reply
measures what the page is told and when: `duck` (its volume lowered) and `interrupted` (its audio stopped), from
the moment the frame holding the speech's first loud 10 ms left the browser.

One service per process (settings are read once): `python -m bench.turn_latency gemini|openai|offline` prints
one JSON line; bench/bench_turn_latency.py runs the three and makes the rows.
"""

import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import django
import numpy as np

FRAME_MS = 40
RATE = 16_000
FRAME_BYTES = RATE * FRAME_MS // 1000 * 2
THINK_SECONDS = 0.2  # the fakes' own time to answer, counted in what is measured
ANSWERS = int(os.environ.get("BENCH_ANSWERS", 8))  # per live service
INTERRUPTIONS = int(os.environ.get("BENCH_INTERRUPTIONS", 4))  # per live service
CONCURRENT = 30  # offline sessions speaking at once
CONCURRENT_SECONDS = 60.0
STAGGER_SECONDS = 6.0
TAIL_MS = 2500  # silence after an answer: more than the A1 patience (1500 ms), so every turn ends
REPLY_WORDS = 30  # the live fakes' replies: 3.6 s of audio, long enough to be interrupted


@dataclass
class Said:
    pcm: bytes
    start_s: float  # the first loud 10 ms, from the start of pcm
    end_s: float  # the last loud 10 ms


@dataclass
class Page:
    """One browser: what it received, when (a monotonic clock shared with the sending)."""

    ws: object
    messages: list[tuple[float, object]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    speaking: list[bytes] = field(default_factory=list)  # frames of speech still to send
    frames_sent: int = 0
    sent_at: float = 0.0  # when the latest frame left

    tasks: list = field(default_factory=list)

    async def read(self) -> None:
        async for frame in self.ws:
            now = time.monotonic()
            self.messages.append((now, frame if isinstance(frame, bytes) else json.loads(frame)))
            self.changed.set()

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await self.ws.close()

    def count(self, kind: str) -> int:
        return sum(1 for _at, m in self.messages if isinstance(m, dict) and m["type"] == kind)

    def first_after(self, moment: float, test) -> float | None:
        return next((at for at, m in self.messages if at >= moment and test(m)), None)

    async def until(self, predicate, timeout: float = 60.0) -> bool:
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    self.changed.clear()
                    await self.changed.wait()
        except TimeoutError:
            return False
        return True

    async def played_out(self) -> None:
        """Wait until the tutor's audio received so far has played: the server sends it at the pace it plays
        (the outbox's audio pace), so shortly after the last of it arrived."""
        await self.until(lambda: self.count("turn_complete") >= 1)
        audio = [at for at, m in self.messages if isinstance(m, bytes)]
        if audio:
            await asyncio.sleep(max(0.0, audio[-1] + 0.3 - time.monotonic()))

    async def microphone(self) -> None:
        """A page's microphone sends a frame every 40 ms while it is on, silence (a -50 dBFS noise floor) or
        speech: the server's turn-taking counts time in these frames."""
        floor = np.random.default_rng(7).normal(0, 32768 * 10 ** (-50 / 20), RATE * FRAME_MS // 1000)
        quiet = np.clip(floor, -32768, 32767).astype("<i2").tobytes()
        start = time.monotonic()
        for tick in count(1):
            delay = start + tick * FRAME_MS / 1000 - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            frame = self.speaking.pop(0) if self.speaking else quiet
            await self.ws.send(frame)
            self.sent_at = time.monotonic()
            self.frames_sent += 1

    async def say(self, said: Said, *, stop_on_reply: bool = True) -> tuple[float, float]:
        """Said into the microphone; returns when (monotonic) the frames holding its speech's start and end
        left the browser. Once the tutor answers after the end, the rest (silence) is not waited for."""
        frames = [said.pcm[i * FRAME_BYTES : (i + 1) * FRAME_BYTES] for i in range(len(said.pcm) // FRAME_BYTES)]
        first = self.frames_sent + 1
        heard = len(self.messages)
        self.speaking.extend(frames)
        start_frame = first + int(said.start_s * 1000 // FRAME_MS)
        end_frame = first + int(said.end_s * 1000 // FRAME_MS)
        began = ended = 0.0
        while self.speaking or self.frames_sent < first + len(frames) - 1:
            await asyncio.sleep(FRAME_MS / 2000)
            if not began and self.frames_sent >= start_frame:
                began = self.sent_at
            if not ended and self.frames_sent >= end_frame:
                ended = self.sent_at
            replied = any(isinstance(m, bytes) for _at, m in self.messages[heard:])
            if stop_on_reply and ended and replied:
                self.speaking.clear()  # the tutor answers: the student stops and listens
                break
        return began, ended


def rendered(text: str, language: str, voice: tuple[str, str], seed: int) -> Said:
    from tutor.providers.offline.features import loud_span, samples

    from .speech_cases import browser_audio, speech

    lead_ms = 300
    pcm = browser_audio(speech(text, language, voice), seed=seed, lead_ms=lead_ms, tail_ms=TAIL_MS)
    start, end = loud_span(samples(pcm[: len(pcm) - TAIL_MS * RATE // 1000 * 2]))
    return Said(pcm, start / RATE, end / RATE)


def main(service: str) -> None:
    data_dir = tempfile.mkdtemp(prefix=f"tutor-latency-{service}-")
    # The sessions are made here, and take their tutor from these settings; Daphne's are the same.
    os.environ.update(
        TUTOR_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="bench.latency_settings",
        BENCH_PROVIDER=service,
        GEMINI_API_KEY="test-key",  # the fakes' own keys
        OPENAI_API_KEY="sk-test",
    )
    os.environ.pop("DATABASE_URL", None)  # a scratch SQLite file: never a real database
    django.setup()
    result = asyncio.run(offline() if service == "offline" else live(service, Path(data_dir)))
    print(json.dumps({"service": service, **result}), flush=True)


async def _prepare(lessons: list, users: int) -> list[tuple[int, str]]:
    """`users` students, each with a session of lessons[n % len]; their session ids and login cookies."""
    from asgiref.sync import sync_to_async
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client as DjangoClient

    from lessons.services.lessons import lesson_create
    from practice.services.sessions import session_create
    from tests.conftest import make_user

    def prepare() -> list[tuple[int, str]]:
        call_command("migrate", verbosity=0)
        teacher = make_user("marie", "teacher")
        made = [lesson_create(spec=spec, author=teacher) for spec in lessons]
        out = []
        for n in range(users):
            student = make_user(f"student{n}")
            session = session_create(student=student, lesson=made[n % len(made)])
            client = DjangoClient()
            client.force_login(student)
            out.append((session.pk, client.cookies[settings.SESSION_COOKIE_NAME].value))
        return out

    return await sync_to_async(prepare)()


async def _open(server, session_id: int, cookie: str) -> Page:
    from websockets.asyncio.client import connect

    ws = await connect(
        server.url.replace("http", "ws") + f"/ws/sessions/{session_id}/",
        additional_headers={"Cookie": f"sessionid={cookie}", "Origin": server.url},
        max_size=None,
    )
    page = Page(ws)
    loop = asyncio.get_running_loop()
    page.tasks = [loop.create_task(page.read()), loop.create_task(page.microphone())]
    return page


async def live(service: str, data_dir: Path) -> dict:
    from tests.conftest import lesson_spec
    from tests.fakes.gemini_live import Exchange, FakeGeminiLive, FakeLiveOptions
    from tests.fakes.openai_realtime import FakeRealtimeServer, Reply
    from tests.fakes.tls import make_certificate
    from tests.servers import DaphneProcess

    from .speech_cases import HELD_OUT_VOICES

    reply = " ".join(["Très bien, et ensuite ?"] * (REPLY_WORDS // 4))
    answers = [
        rendered("Bonjour, je voudrais un café, s'il vous plaît.", "fr-FR", HELD_OUT_VOICES[n % 4], seed=n)
        for n in range(ANSWERS)
    ]
    stop = rendered("Attendez, je n'ai pas compris.", "fr-FR", HELD_OUT_VOICES[1], seed=99)
    [(session_id, cookie)] = await _prepare([lesson_spec(provider=service)], 1)
    env: dict[str, str] = {}
    async with contextlib.AsyncExitStack() as stack:
        if service == "gemini":
            certificate = make_certificate(data_dir)
            script = tuple(Exchange("Je voudrais un café, s'il vous plaît.", reply) for _ in range(64))
            options = FakeLiveOptions(script=script, think_seconds=THINK_SECONDS)
            fake = await stack.enter_async_context(FakeGeminiLive(certificate, options))
            env |= {"GEMINI_BASE_URL": fake.url, "GEMINI_CA_FILE": str(certificate.cert_file)}
        else:
            fake = await stack.enter_async_context(FakeRealtimeServer(think_seconds=THINK_SECONDS, record_audio=False))
            fake.replies.extend(Reply(reply, audio_ms=REPLY_WORDS * 120) for _ in range(64))
            env |= {"OPENAI_BASE_URL": fake.base_url}
        server = DaphneProcess(data_dir / "daphne.log", settings="bench.latency_settings", env=env)
        await asyncio.to_thread(server.start)
        stack.callback(server.stop)
        page = await _open(server, session_id, cookie)
        await page.played_out()  # the greeting
        latencies, ducked, stopped, trace = [], [], [], []
        for said in answers:
            completed = page.count("turn_complete")
            _began, ended = await page.say(said)
            reply_at = page.first_after(ended, lambda m: isinstance(m, bytes))
            if reply_at is not None:
                latencies.append((reply_at - ended) * 1000)
            await page.until(lambda c=completed: page.count("turn_complete") > c)
            await page.played_out()
        for _ in range(INTERRUPTIONS):
            await page.say(answers[0])  # returns as the reply's first audio arrives: 3.6 s of it to play
            await asyncio.sleep(1.0)
            cut_before = page.count("turn_complete")
            began, _ended = await page.say(stop, stop_on_reply=False)
            duck = page.first_after(began, lambda m: isinstance(m, dict) and m["type"] == "duck" and m["on"])
            cut = page.first_after(began, lambda m: isinstance(m, dict) and m["type"] == "interrupted")
            if duck is not None:
                ducked.append((duck - began) * 1000)
            if cut is not None:
                stopped.append((cut - began) * 1000)
            trace = trace or [(round((at - began) * 1000), m["type"] if isinstance(m, dict) else "audio")
                              for at, m in page.messages if began - 1 <= at <= began + 3]  # fmt: skip
            await page.until(lambda c=cut_before: page.count("turn_complete") > c + 1)  # the cut reply, the answer
            await page.played_out()
        # A student who says nothing: help is offered after the level's silence (5,000 ms at A1), from when the
        # tutor's last line stopped playing (its last audio's arrival: the server sends it at the pace it plays).
        quiet_from = max(at for at, m in page.messages if isinstance(m, bytes))
        helps = page.count("help")
        helped = await page.until(lambda: page.count("help") > helps, timeout=15)
        help_at = page.first_after(quiet_from, lambda m: isinstance(m, dict) and m["type"] == "help")
        help_audio = page.first_after(help_at or quiet_from, lambda m: isinstance(m, bytes))
        await page.close()
    stuck = {"help_ms": (help_at - quiet_from) * 1000 if helped and help_at else None,
             "help_audio_ms": (help_audio - quiet_from) * 1000 if helped and help_audio else None}  # fmt: skip
    return {**stuck, "latencies_ms": latencies, "answers": len(answers), "duck_ms": ducked, "interrupted_ms": stopped,
            "interruptions": INTERRUPTIONS, "trace": trace}  # fmt: skip


async def offline() -> dict:
    """One session at a time through Daphne, then CONCURRENT at once, on the demo lessons' answers."""
    from lessons.files import parse_lesson_file
    from tests.servers import DaphneProcess

    from .speech_cases import AROUND, DEMO, HELD_OUT_VOICES

    specs = parse_lesson_file(DEMO.read_text(encoding="utf-8"))
    pages = await _prepare(specs, CONCURRENT + len(specs))
    server = DaphneProcess(Path(os.environ["TUTOR_DATA_DIR"]) / "daphne.log", settings="bench.latency_settings")
    await asyncio.to_thread(server.start)
    try:

        def answers_of(spec, voice, seed) -> list[Said]:
            greeting = AROUND[spec.language[:2]][0]
            return [
                rendered(f"{greeting}, {step.expected[0]}", spec.language, voice, seed + n)
                for n, step in enumerate(spec.dialogue)
            ]

        async def drive(index: int, answers: list[Said], *, start_after: float, until: float) -> list[float]:
            await asyncio.sleep(start_after)
            session_id, cookie = pages[index]
            page = await _open(server, session_id, cookie)
            out = []
            try:
                for said in answers:
                    await page.played_out()
                    if time.monotonic() > until:
                        break
                    completed = page.count("turn_complete")
                    _began, ended = await page.say(said)
                    reply_at = page.first_after(ended, lambda m: isinstance(m, bytes))
                    if reply_at is not None and reply_at - ended < 2.0:
                        out.append((reply_at - ended) * 1000)
                    await page.until(lambda c=completed: page.count("turn_complete") > c, timeout=30)
            finally:
                await page.close()
            return out

        single: list[float] = []
        for n, spec in enumerate(specs):  # warms the recognizer too
            voice = HELD_OUT_VOICES[n % 4]
            single += await drive(CONCURRENT + n, answers_of(spec, voice, n * 10), start_after=0, until=1e12)
        starts = np.random.default_rng(3).uniform(0, STAGGER_SECONDS, CONCURRENT)
        until = time.monotonic() + CONCURRENT_SECONDS
        crowd = await asyncio.gather(
            *(drive(n, answers_of(specs[n % len(specs)], HELD_OUT_VOICES[n % 4], n * 100),
                    start_after=float(starts[n]), until=until)
              for n in range(CONCURRENT))
        )  # fmt: skip
    finally:
        await asyncio.to_thread(server.stop)
    return {"single_ms": single, "crowd_ms": [ms for one in crowd for ms in one]}


if __name__ == "__main__":
    main(sys.argv[1])
