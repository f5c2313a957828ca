"""The offline tutor: plays the lesson's dialogue with no key and no download.

It speaks each step's line with eSpeak NG in the lesson's language, listens with a VAD, recognizes a
spoken answer among the expected ones (or takes a typed one), checks it with fuzzy matching, and
answers: praise and the next step when right, a correction when close, a hint after two misses. It
yields to barge-in, reports the vocabulary used through the same tool calls a live model makes, and
says honestly that it cannot see pictures.
"""

import asyncio
import contextlib
import itertools
import logging
from collections.abc import AsyncIterator

from tutor.audio import OUTPUT_RATE, bytes_for_ms, chunks, silence
from tutor.brief import DialogueLine, LessonBrief, SessionSetup
from tutor.events import (
    AudioOut,
    Interrupted,
    ProviderEvent,
    Resumable,
    SpeechStarted,
    ToolCall,
    TranscriptDelta,
    TranscriptFinal,
    TurnComplete,
)

from . import matching, recognizer, tts
from .config import OfflineConfig
from .phrases import Phrases, phrases_for
from .vad import SpeechBegan, SpeechEnded, TurnDetector

log = logging.getLogger(__name__)

HANDLE_PREFIX = "step:"


class OfflineProvider:
    name = "offline"
    resumption_keeps_input = True
    input_rate = 16_000
    output_rate = OUTPUT_RATE

    def __init__(self, config: OfflineConfig | None = None) -> None:
        self.config = config or OfflineConfig()

    async def connect(self, setup: SessionSetup) -> "OfflineConnection":
        connection = OfflineConnection(setup, self.config)
        connection.start()
        return connection


def script_for(lesson: LessonBrief, phrases: Phrases) -> tuple[DialogueLine, ...]:
    """The lesson's dialogue; a lesson written only for live models becomes a repeat-after-me drill."""
    if lesson.dialogue:
        return lesson.dialogue
    return tuple(
        DialogueLine(tutor=phrases.repeat.format(text=v.example or v.term), expected=(v.example or v.term,))
        for v in lesson.vocabulary
    )


class OfflineConnection:
    """One offline 'connection': a small state machine over the lesson's steps."""

    def __init__(self, setup: SessionSetup, config: OfflineConfig) -> None:
        self._setup = setup
        self._config = config
        self._lesson = setup.lesson
        self._phrases, self._phrase_language = phrases_for(self._lesson.language)
        self._steps = script_for(self._lesson, self._phrases)
        self._terms = tuple(v.term for v in self._lesson.vocabulary)
        self._events: asyncio.Queue[ProviderEvent | None] = asyncio.Queue()
        self._detector = TurnDetector()
        self._speech: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        self._answering = asyncio.Lock()
        self._call_ids = itertools.count(1)
        self._praise = itertools.cycle(self._phrases.praise)
        self._step = self._resume_step(setup.resumption_handle)
        self._misses = 0
        self._turn_open = False  # a tutor turn has started and not yet been completed
        self._asked_to_type = False
        self._learned: set[str] = set()
        self._closed = False

    def _resume_step(self, handle: str | None) -> int:
        if handle and handle.startswith(HANDLE_PREFIX) and handle[len(HANDLE_PREFIX) :].isdigit():
            return min(int(handle[len(HANDLE_PREFIX) :]), len(self._steps))
        return 0

    def start(self) -> None:
        resuming = self._setup.resumption_handle is not None or not self._setup.context.empty
        if self._step >= len(self._steps):
            self._say_phrases(self._phrases.finished)
        elif resuming:
            self._say([(self._phrases.resume, self._phrase_language), (self._line(), self._lesson.language)])
        else:
            self._say([(self._line(), self._lesson.language)])

    # ---- LiveConnection ----------------------------------------------------------------------

    async def send_audio(self, pcm16_16k: bytes) -> None:
        for event in self._detector.feed(pcm16_16k):
            self._on_vad(event)

    async def send_text(self, text: str) -> None:
        self._barge_in()
        await self._answer(text)

    async def send_image(self, data: bytes, mime: str) -> None:
        self._say_phrases(self._phrases.cannot_see)

    async def send_tool_result(self, call_id: str, name: str, result: dict) -> None:
        """The runner acknowledges the notes this tutor reports; nothing to do with the answer."""

    async def end_audio_stream(self) -> None:
        ended = self._detector.flush()
        if ended is not None:
            self._on_vad(ended)

    async def playback_heard(self, played_ms: int) -> None:
        """Nothing to truncate: the offline tutor keeps no model context."""

    async def events(self) -> AsyncIterator[ProviderEvent]:
        while (event := await self._events.get()) is not None:
            yield event

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        self._events.put_nowait(None)

    # ---- listening ---------------------------------------------------------------------------

    def _on_vad(self, event: SpeechBegan | SpeechEnded) -> None:
        match event:
            case SpeechBegan():
                self._barge_in()
                self._emit(SpeechStarted())
            case SpeechEnded(pcm=pcm):
                self._spawn(self._answer_spoken(pcm))

    def _barge_in(self) -> None:
        """Cut the tutor off while it can still be heard; its turn ends here unless it already had."""
        if self._speech is not None and not self._speech.done():
            self._speech.cancel()
            self._speech = None
            self._emit(Interrupted())
            if self._turn_open:
                self._turn_open = False
                self._emit(TurnComplete())

    async def _answer_spoken(self, pcm: bytes) -> None:
        if self._step >= len(self._steps):
            self._emit(TranscriptFinal(role="student", text=""))
            self._say_phrases(self._phrases.finished)
            return
        text = None
        if self._config.recognize_speech:
            result = await asyncio.to_thread(
                recognizer.recognize, pcm, self._steps[self._step].expected, language=self._lesson.language
            )
            text = result.text
        self._emit(TranscriptFinal(role="student", text=text or ""))
        if text is not None:
            await self._answer(text)
            return
        async with self._answering:
            if not self._asked_to_type:
                self._asked_to_type = True
                self._say_phrases(self._phrases.please_type)
            else:
                await self._miss(spoken_unclear=True)

    # ---- answering ---------------------------------------------------------------------------

    async def _answer(self, text: str) -> None:
        async with self._answering:
            if self._step >= len(self._steps):
                self._say_phrases(self._phrases.finished)
                return
            step = self._steps[self._step]
            assessment = matching.assess(text, step.expected, explain_in=self._setup.learner.native_language)
            used = matching.words_in(text, self._terms)
            for word in used:
                self._tool("note_vocabulary", word=word, status="used")
            if assessment.verdict == matching.Verdict.CLOSE:
                self._tool(
                    "note_correction",
                    original=text,
                    corrected=assessment.expected,
                    explanation=assessment.explanation,
                    category=assessment.category,
                )
            if assessment.accepted:
                for word in used:
                    if word not in self._learned:
                        self._learned.add(word)
                        self._tool("note_vocabulary", word=word, status="learned")
                self._advance()
            elif assessment.verdict == matching.Verdict.CLOSE:
                self._misses += 1
                self._say_phrases(self._phrases.say_it_right.format(corrected=assessment.expected))
            else:
                await self._miss(spoken_unclear=False)

    async def _miss(self, *, spoken_unclear: bool) -> None:
        self._misses += 1
        step = self._steps[self._step]
        if self._misses >= 2:
            spoken = self._phrases.you_can_say.format(answer=step.expected[0])
            shown = f"{spoken} ({step.hint})" if step.hint else spoken
            self._say([(spoken, self._phrase_language)], shown=shown)
            return
        lead = self._phrases.not_understood if spoken_unclear else self._phrases.try_again
        self._say([(lead, self._phrase_language), (step.tutor, self._lesson.language)])

    def _advance(self) -> None:
        self._step += 1
        self._misses = 0
        self._emit(Resumable(handle=f"{HANDLE_PREFIX}{self._step}"))
        praise = (next(self._praise), self._phrase_language)
        if self._step < len(self._steps):
            self._say([praise, (self._line(), self._lesson.language)])
            return
        for objective in self._lesson.objectives:
            self._tool("complete_objective", objective=objective)
        self._say([praise, (self._phrases.finished, self._phrase_language)])

    def _line(self) -> str:
        return self._steps[self._step].tutor

    def _tool(self, name: str, **arguments: str) -> None:
        self._emit(ToolCall(call_id=f"offline-{next(self._call_ids)}", name=name, arguments=arguments))

    # ---- speaking ----------------------------------------------------------------------------

    def _say_phrases(self, text: str) -> None:
        self._say([(text, self._phrase_language)])

    def _say(self, segments: list[tuple[str, str]], *, shown: str | None = None) -> None:
        """Start a tutor turn; a turn still playing is cut off first."""
        self._barge_in()
        self._speech = self._spawn(self._speak(segments, shown or " ".join(text for text, _ in segments)))

    async def _speak(self, segments: list[tuple[str, str]], shown: str) -> None:
        self._turn_open = True
        self._emit(TranscriptDelta(role="tutor", text=shown))
        pcm = await asyncio.to_thread(self._synthesize, segments)
        size = bytes_for_ms(self._config.chunk_ms, OUTPUT_RATE)
        if not self._config.realtime:
            for chunk in chunks(pcm, size):
                self._emit(AudioOut(pcm=chunk))
            self._end_turn()
            self._speech = None
            return
        loop = asyncio.get_running_loop()
        started = loop.time()
        for index, chunk in enumerate(chunks(pcm, size)):
            await _until(loop, started + (index * self._config.chunk_ms - self._config.lead_ms) / 1000)
            self._emit(AudioOut(pcm=chunk))
        played_out = started + len(pcm) / 2 / OUTPUT_RATE
        # Like a networked model, the turn completes a little before the browser has played it all; until
        # the last of it has been heard, the tutor is still speaking and can be interrupted.
        await _until(loop, played_out - self._config.lead_ms / 1000)
        self._end_turn()
        await _until(loop, played_out + self._config.playback_margin_ms / 1000)
        self._speech = None

    def _end_turn(self) -> None:
        if self._turn_open:
            self._turn_open = False
            self._emit(TurnComplete())

    def _synthesize(self, segments: list[tuple[str, str]]) -> bytes:
        pause = silence(250, OUTPUT_RATE)
        voice, pace = self._setup.voice, self._lesson.persona.pace
        return pause.join(
            tts.speak(text, language=language, rate=OUTPUT_RATE, variant=voice, pace=pace)
            for text, language in segments
        )

    # ---- plumbing ----------------------------------------------------------------------------

    def _emit(self, event: ProviderEvent) -> None:
        if not self._closed:
            self._events.put_nowait(event)

    def _spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(_log_failure)
        return task


async def _until(loop: asyncio.AbstractEventLoop, when: float) -> None:
    if (delay := when - loop.time()) > 0:
        await asyncio.sleep(delay)


def _log_failure(task: asyncio.Task) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        if task.exception() is not None:
            log.error("offline tutor task failed", exc_info=task.exception())
