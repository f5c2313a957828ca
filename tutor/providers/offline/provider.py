"""The offline tutor: plays the lesson's dialogue with no key and no download.

It speaks each step's line with eSpeak NG in the lesson's language, listens with a VAD, recognizes a
spoken answer among the expected ones (or takes a typed one), checks it with fuzzy matching, and
answers: praise and the next step when right, a correction when close, a hint after two misses. It
yields to barge-in, reports the vocabulary used, the objectives achieved and the words it heard
unclearly (an estimate, labelled so) through the same tool calls a live model makes, and says honestly
that it cannot see pictures. After the last step it says the lesson is over and, once that line is said,
that the lesson is complete (`LessonComplete`): the session ends by itself.

Its answer comes quickly: at each short pause the utterance so far is recognized (in a worker process,
pool.py), and once the expected answer was heard in it, and nothing after it, the turn ends there; only
a learner still mid-phrase gets the lesson's whole patience (tutor/patience.py). The reply to a right
answer is synthesized while the student is still thinking.
"""

import asyncio
import contextlib
import itertools
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

from tutor.audio import INPUT_RATE, OUTPUT_RATE, bytes_for_ms, chunks, silence
from tutor.brief import DialogueLine, LessonBrief, SessionSetup
from tutor.events import (
    AudioOut,
    Interrupted,
    LessonComplete,
    ProviderEvent,
    Resumable,
    SpeechStarted,
    ToolCall,
    TranscriptDelta,
    TranscriptFinal,
    TurnComplete,
)
from tutor.patience import patience_for

from . import free_speech, grading, matching, pool, recognizer, tts
from .config import OfflineConfig
from .explanations import explanation
from .phrases import Phrases, phrases_for
from .recognizer import Recognition
from .vad import SpeechBegan, SpeechEnded, SpeechPaused, TurnDetector

log = logging.getLogger(__name__)

HANDLE_PREFIX = "step:"
SHORTEST_SHARE = 0.5  # an utterance shorter than half the shortest expected answer's rendering holds none
TAIL_SHARE = 2.5  # a learner says an answer at most this much slower than eSpeak's slowest rendering


class OfflineProvider:
    name = "offline"
    resumption_keeps_input = True
    app_turns = False  # its own detector, beside its answer matching (vad.py)
    input_rate = INPUT_RATE
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
        self._others = _known_wrong_answers(self._lesson, self._steps)
        self._events: asyncio.Queue[ProviderEvent | None] = asyncio.Queue()
        patience = patience_for(self._lesson.level, self._lesson.patience)
        self._detector = TurnDetector(end_silence_ms=patience.end_silence_ms, pause_ms=(config.listen_ms,))
        self._listened = asyncio.Condition()  # notified as the detector hears more audio
        self._pause: SpeechPaused | None = None  # the newest pause not yet recognized
        self._listening = False
        self._speech: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        self._answering = asyncio.Lock()
        self._call_ids = itertools.count(1)
        self._praises = 0
        self._step = self._resume_step(setup.resumption_handle)
        self._misses = 0
        self._nudges = 0  # help offered on this step to a student who said nothing
        self._hinted: set[str] = set()  # objectives of steps that needed the hint
        self._prepared: tuple[tuple[tuple[str, str], ...], asyncio.Task[bytes]] | None = None
        self._turn_open = False  # a tutor turn has started and not yet been completed
        self._asked_to_type = False
        self._learned: set[str] = set()
        self._closed = False

    def _resume_step(self, handle: str | None) -> int:
        if handle and handle.startswith(HANDLE_PREFIX) and handle[len(HANDLE_PREFIX) :].isdigit():
            return min(int(handle[len(HANDLE_PREFIX) :]), len(self._steps))
        return 0

    def start(self) -> None:
        self._spawn(asyncio.to_thread(grading.prepare, self._lesson.language))
        setup = self._setup
        resuming = setup.resumption_handle is not None or not setup.context.empty or setup.takes_over
        if self._step >= len(self._steps):
            self._close_lesson()
            return
        if resuming:
            self._say([(self._phrases.resume, self._phrase_language), (self._line(), self._lesson.language)])
        else:
            self._say([(self._line(), self._lesson.language)])
        self._prepare()

    # ---- LiveConnection ----------------------------------------------------------------------

    async def send_audio(self, pcm16_16k: bytes) -> None:
        for event in self._detector.feed(pcm16_16k):
            self._on_vad(event)
        async with self._listened:
            self._listened.notify_all()

    async def send_text(self, text: str) -> None:
        self._barge_in()
        await self._answer(text)

    async def send_image(self, data: bytes, mime: str) -> None:
        self._say_phrases(self._phrases.cannot_see)

    async def send_video_frame(self, data: bytes, mime: str) -> None:
        """Not seen, and not answered either: a frame is no question, and the page offers no sharing with
        this tutor (a session that failed over to it mid-share must not hear "I cannot see" every second)."""

    async def send_tool_result(self, call_id: str, name: str, result: dict) -> None:
        """The runner acknowledges the notes this tutor reports; nothing to do with the answer."""

    async def end_audio_stream(self) -> None:
        ended = self._detector.flush()
        if ended is not None:
            self._on_vad(ended)
        async with self._listened:
            self._listened.notify_all()

    async def playback_heard(self, played_ms: int) -> None:
        """Nothing to truncate: the offline tutor keeps no model context."""

    async def activity_start(self, *, interrupting: bool) -> None:
        """Its own detector hears the turns (app_turns is False)."""

    async def activity_end(self) -> None:
        """Its own detector hears the turns (app_turns is False)."""

    async def nudge(self, instruction: str) -> None:
        """A stuck student: the step's expected answer helps, in the lesson's language, not the instruction
        (written for a model): its first word the first time, the whole answer after that (with the hint)."""
        if self._step >= len(self._steps) or self._turn_open:
            return
        step = self._steps[self._step]
        self._nudges += 1
        answer = step.expected[0]
        words = answer.split()
        if self._nudges == 1 and len(words) > 1:
            self._say([(self._phrases.you_can_say.format(answer=f"{words[0]} …"), self._phrase_language)])
            return
        self._hinted.add(step.objective)
        spoken = self._phrases.you_can_say.format(answer=answer)
        self._say([(spoken, self._phrase_language)], shown=f"{spoken} ({step.hint})" if step.hint else spoken)

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

    def _on_vad(self, event: SpeechBegan | SpeechPaused | SpeechEnded) -> None:
        match event:
            case SpeechBegan():
                self._barge_in()
                self._emit(SpeechStarted())
            case SpeechPaused() as pause:
                if self._config.recognize_speech and self._step < len(self._steps):
                    self._pause = pause
                    if not self._listening:
                        self._listening = True
                        self._spawn(self._listen())
            case SpeechEnded(pcm=pcm):
                self._spawn(self._answer_spoken(pcm))

    async def _listen(self) -> None:
        """One recognition at a time per session, of the newest pause: a pause that speech has made stale
        while an earlier one was being recognized is skipped, so the answer's last pause never queues."""
        try:
            while (pause := self._pause) is not None:
                self._pause = None
                if self._detector.still_paused(pause):
                    await self._end_early(pause)
        finally:
            self._listening = False

    async def _end_early(self, pause: SpeechPaused) -> None:
        """End the turn at this pause if the expected answer was heard, complete, with nothing after it.

        Recognition starts at the first short silence, so its result is ready by the time the silence is
        long enough to end the turn (early_end_ms); an answer that a longer expected one extends ("je
        voudrais un café" before ", s'il vous plaît") waits longer (extendable_end_ms). Speech in between
        makes the pause stale, and the turn goes on."""
        step = self._step
        job = await self._request(pause.pcm)
        if len(pause.pcm) / 32 < job.shortest_ms * SHORTEST_SHARE:
            return  # too short yet to hold any expected answer
        # To end the turn the answer must end where the speech does: only the tail can hold it.
        tail = int(job.longest_ms * TAIL_SHARE + self._config.trailing_speech_ms) * 32
        result = await pool.recognize(replace(job, pcm=pause.pcm[-tail:]), workers=self._config.recognizer_workers)
        if result.text is None or result.trailing_ms > self._config.trailing_speech_ms or step != self._step:
            return
        wait = self._config.extendable_end_ms if self._extendable(result.text) else self._config.early_end_ms
        async with self._listened:
            await self._listened.wait_for(
                lambda: not self._detector.still_paused(pause) or self._detector.silence_ms >= wait
            )
        # A typed answer during the wait may have moved the lesson on: this result was for the step before.
        if (
            step == self._step
            and self._detector.still_paused(pause)
            and (ended := self._detector.end_now()) is not None
        ):
            await self._answer_spoken(ended.pcm, result)

    def _extendable(self, text: str) -> bool:
        said = matching.normalize(text)
        return any(
            other != said and other.startswith(said + " ")
            for other in map(matching.normalize, self._steps[self._step].expected)
        )

    async def _request(self, pcm: bytes, *, transcribe: bool = False) -> recognizer.Request:
        """The templates are rendered once per step (_prepare), so this is quick; off the loop all the same,
        in case they were not. `transcribe`: at the end of a turn, free speech for what fits no sentence."""
        expected, others = self._steps[self._step].expected, self._others[self._step]
        model = free_speech.model_for(self._lesson.language, self._config.speech_models) if transcribe else None
        language = self._lesson.language
        return await asyncio.to_thread(
            recognizer.request, pcm, expected, language=language, others=others, speech_model=model
        )

    async def _recognize(self, pcm: bytes) -> Recognition:
        job = await self._request(pcm, transcribe=True)
        return await pool.recognize(job, workers=self._config.recognizer_workers)

    def _barge_in(self) -> None:
        """Cut the tutor off while it can still be heard; its turn ends here unless it already had."""
        if self._speech is not None and not self._speech.done():
            self._speech.cancel()
            self._speech = None
            self._emit(Interrupted())
            if self._turn_open:
                self._turn_open = False
                self._emit(TurnComplete())

    async def _answer_spoken(self, pcm: bytes, result: Recognition | None = None) -> None:
        if self._step >= len(self._steps):
            self._emit(TranscriptFinal(role="student", text=""))
            self._close_lesson()
            return
        if result is None and self._config.recognize_speech:
            result = await self._recognize(pcm)
        text = (result.text or result.other or await self._usable(result.transcript)) if result is not None else None
        self._emit(TranscriptFinal(role="student", text=text or ""))
        if text is not None:
            accepted = await self._answer(text)
            if accepted and result is not None and result.text is not None:
                self._note_unclear(result)
            return
        async with self._answering:
            if not self._asked_to_type:
                self._asked_to_type = True
                self._say_phrases(self._phrases.please_type)
            else:
                await self._miss(spoken_unclear=True)

    # ---- answering ---------------------------------------------------------------------------

    async def _usable(self, transcript: str | None) -> str | None:
        """A free transcript is shown and graded only when it comes near one of the step's answers: a free
        recognizer's guess at speech it cannot place is too often wrong to put in the student's mouth."""
        if transcript is None:
            return None
        expected, language = self._steps[self._step].expected, self._lesson.language
        assessment = await asyncio.to_thread(matching.assess, transcript, expected, language=language)
        return transcript if assessment.verdict != matching.Verdict.WRONG else None

    def _note_unclear(self, result: Recognition) -> None:
        """The words heard least clearly (at most two), as pronunciation notes marked as estimates."""
        unclear = [word for word in result.words if word.confidence < self._config.unclear_below]
        unclear.sort(key=lambda word: word.confidence)
        for heard in unclear[:2]:
            self._tool(
                "note_pronunciation",
                word=heard.word,
                heard_as=f"unclear (confidence {heard.confidence:.2f}, an estimate)",
                tip=explanation("pronunciation", self._setup.learner.native_language, word=heard.word),
                estimate=True,
            )

    async def _answer(self, text: str) -> bool:
        """Checks the answer and replies; True when it was accepted and the lesson moved on."""
        async with self._answering:
            if self._step >= len(self._steps):
                self._close_lesson()
                return False
            step = self._steps[self._step]
            native = self._setup.learner.native_language
            assessment = await asyncio.to_thread(
                matching.assess, text, step.expected, language=self._lesson.language, explain_in=native
            )
            used = matching.words_in(text, self._terms)
            for word in used:
                self._tool("note_vocabulary", word=word, status="used")
            if assessment.verdict != matching.Verdict.RIGHT:
                # Every answer not right is noted, so the report counts what happened (a wrong one as "other").
                explained = assessment.explanation or explanation("compare", native, expected=assessment.expected)
                self._tool(
                    "note_correction",
                    original=text,
                    corrected=assessment.expected,
                    explanation=explained,
                    category=assessment.category or "other",
                    rule=assessment.rule,  # each mistake's rule, named, in the student's language
                )
            if assessment.accepted:
                for word in used:
                    if word not in self._learned:
                        self._learned.add(word)
                        self._tool("note_vocabulary", word=word, status="learned")
                self._advance()
                return True
            if assessment.verdict == matching.Verdict.CLOSE:
                self._misses += 1
                self._say_phrases(self._phrases.say_it_right.format(corrected=assessment.expected))
            else:
                await self._miss(spoken_unclear=False)
            return False

    async def _miss(self, *, spoken_unclear: bool) -> None:
        self._misses += 1
        step = self._steps[self._step]
        if self._misses >= 2:
            self._hinted.add(step.objective)
            spoken = self._phrases.you_can_say.format(answer=step.expected[0])
            shown = f"{spoken} ({step.hint})" if step.hint else spoken
            self._say([(spoken, self._phrase_language)], shown=shown)
            return
        lead = self._phrases.not_understood if spoken_unclear else self._phrases.try_again
        self._say([(lead, self._phrase_language), (step.tutor, self._lesson.language)])

    def _advance(self) -> None:
        done = self._steps[self._step]
        segments = self._reply_to_right()
        self._step += 1
        self._praises += 1
        self._misses = self._nudges = 0
        self._emit(Resumable(handle=f"{HANDLE_PREFIX}{self._step}"))
        # An objective is met when every step that serves it was answered without the hint.
        objective = done.objective
        rest = self._steps[self._step :]
        if objective and objective not in self._hinted and all(step.objective != objective for step in rest):
            self._tool("complete_objective", objective=objective)
        last = self._step >= len(self._steps)
        self._say(list(segments), closing=last)
        if not last:
            self._prepare()

    def _reply_to_right(self) -> tuple[tuple[str, str], ...]:
        """Praise and the next line (or the end): what a right answer to this step is answered with."""
        praise = (self._phrases.praise[self._praises % len(self._phrases.praise)], self._phrase_language)
        if self._step + 1 < len(self._steps):
            return (praise, (self._steps[self._step + 1].tutor, self._lesson.language))
        return (praise, (self._phrases.finished, self._phrase_language))

    def _prepare(self) -> None:
        """Synthesize the reply to a right answer now, so it plays the moment the answer is heard, and
        render the step's answers for the recognizer."""
        segments = self._reply_to_right()
        self._prepared = (segments, self._spawn(asyncio.to_thread(self._synthesize, list(segments))))
        if self._config.recognize_speech:
            expected, others = self._steps[self._step].expected, self._others[self._step]
            language = self._lesson.language
            self._spawn(asyncio.to_thread(recognizer.request, b"", expected, language=language, others=others))

    def _line(self) -> str:
        return self._steps[self._step].tutor

    def _tool(self, name: str, **arguments: str) -> None:
        self._emit(ToolCall(call_id=f"offline-{next(self._call_ids)}", name=name, arguments=arguments))

    # ---- speaking ----------------------------------------------------------------------------

    def _say_phrases(self, text: str) -> None:
        self._say([(text, self._phrase_language)])

    def _close_lesson(self) -> None:
        """The lesson is over: say so, and end it once that is said."""
        self._say([(self._phrases.finished, self._phrase_language)], closing=True)

    def _say(self, segments: list[tuple[str, str]], *, shown: str | None = None, closing: bool = False) -> None:
        """Start a tutor turn; a turn still playing is cut off first. `closing`: the lesson's last line, after
        which the tutor says the lesson is complete (unless the student cuts it off: it is said again)."""
        self._barge_in()
        text = shown or " ".join(text for text, _ in segments)
        self._speech = self._spawn(self._speak(segments, text, closing=closing))

    async def _speak(self, segments: list[tuple[str, str]], shown: str, *, closing: bool = False) -> None:
        self._turn_open = True
        self._emit(TranscriptDelta(role="tutor", text=shown))
        prepared = self._prepared
        if prepared is not None and prepared[0] == tuple(segments):
            pcm = await asyncio.shield(prepared[1])  # a barge-in must not cancel what the next turn reuses
        else:
            pcm = await asyncio.to_thread(self._synthesize, segments)
        size = bytes_for_ms(self._config.chunk_ms, OUTPUT_RATE)
        if not self._config.realtime:
            for chunk in chunks(pcm, size):
                self._emit(AudioOut(pcm=chunk))
            self._end_turn(closing=closing)
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
        self._end_turn(closing=closing)
        await _until(loop, played_out + self._config.playback_margin_ms / 1000)
        self._speech = None

    def _end_turn(self, *, closing: bool = False) -> None:
        if self._turn_open:
            self._turn_open = False
            self._emit(TurnComplete())
            if closing:
                # After the closing line's TurnComplete: the runner ends the session with that turn whole.
                self._emit(LessonComplete())

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


def _known_wrong_answers(lesson: LessonBrief, steps: tuple[DialogueLine, ...]) -> tuple[tuple[str, ...], ...]:
    """For each step, the lesson's other sentences: said at this step, they are heard as what they are."""
    examples = tuple(v.example for v in lesson.vocabulary if v.example)
    return tuple(
        tuple(answer for j, other in enumerate(steps) if j != index for answer in other.expected) + examples
        for index in range(len(steps))
    )


async def _until(loop: asyncio.AbstractEventLoop, when: float) -> None:
    if (delay := when - loop.time()) > 0:
        await asyncio.sleep(delay)


def _log_failure(task: asyncio.Task) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        if task.exception() is not None:
            log.error("offline tutor task failed", exc_info=task.exception())
