"""One live session: owns the provider connection, pumps the student's input in and the tutor's out,
writes every finished turn, correction and usage row as it happens, reconnects when the provider
drops or goes away, and ends the session cleanly (student, time limit, idle, disconnect or failure).

The runner outlives a browser connection: a browser that reconnects attaches to the same runner and
gets the conversation so far replayed.
"""

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import replace

from .. import persona, tools
from ..audio import INPUT_RATE, duration_ms
from ..brief import LearnerProfile, LessonBrief, RestoredContext
from ..config import RunnerConfig
from ..context import ContextMeter
from ..events import (
    AudioIn,
    AudioOut,
    ClientEvent,
    ClientInput,
    CorrectionNoted,
    Ended,
    EndRequested,
    GoingAway,
    ImageIn,
    Interrupted,
    MicChanged,
    ObjectiveMet,
    PlaybackReport,
    PronunciationNoted,
    ProviderError,
    ProviderEvent,
    Ready,
    Resumable,
    SessionError,
    SpeechStarted,
    StatusChanged,
    TextIn,
    ToolCall,
    TranscriptDelta,
    TranscriptFinal,
    TranscriptUpdate,
    TurnComplete,
    TurnCompleted,
    Usage,
    VocabularyNoted,
)
from ..providers.base import LiveConnection, LiveProvider, ProviderConnectError
from .outbox import Outbox
from .persister import Persister
from .store import CorrectionNote, FinishedTurn, SessionStore, replay
from .turns import TurnTracker

log = logging.getLogger(__name__)

Observer = Callable[[ClientEvent], Awaitable[None]]

# The end reason of a runner that gives its session to a runner in another process: the session
# goes on there, so this one writes what it has but does not end the session.
HANDOFF = "handoff"


class _Fatal(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class SessionRunner:
    def __init__(
        self,
        *,
        session_id: int,
        provider: LiveProvider,
        store: SessionStore,
        lesson: LessonBrief,
        learner: LearnerProfile,
        model: str,
        voice: str,
        config: RunnerConfig,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session_id = session_id
        self.provider = provider
        self.store = store
        self.lesson = lesson
        self.learner = learner
        self.model = model
        self.voice = voice
        self.config = config
        self._clock = clock
        self.outbox = Outbox()
        self.persister = Persister()
        self._observers: list[Observer] = []
        self._observed: asyncio.Queue[ClientEvent | None] = asyncio.Queue()
        self._observer_task: asyncio.Task | None = None
        self._background: set[asyncio.Task] = set()
        self._turns = TurnTracker()
        self._meter = ContextMeter(*config.audio_tokens_per_second)
        self._history: list[ClientEvent] = []  # durable events, replayed to a browser that reattaches
        self._conn: LiveConnection | None = None
        self._reader: asyncio.Task | None = None
        self._conn_error: ProviderError | None = None
        self._pending_audio: deque[bytes] = deque()  # student audio waiting for a connection
        self._pending_audio_ms = 0.0
        self._unanswered: deque[bytes] = deque()  # sent since the tutor's last turn: replayed on a switch
        self._unanswered_ms = 0.0
        self._handle: str | None = None
        self._wake = asyncio.Event()
        self._end_reason: str | None = None
        self._reconnect_by: float | None = None  # a planned reconnect: at the next pause, or by then
        self._fresh_context = False  # the planned reconnect starts from the summaries, not the handle
        self._summary_through = -1  # the newest summary the current connection (or one planned) starts from
        self._started = clock()
        self._last_activity = clock()
        self._detached_at: float | None = clock()  # no browser until the first attach
        self._attached = False
        self._last_interrupted_turn: int | None = None
        self.state = "starting"
        self.done = asyncio.Event()

    # ---- the browser side --------------------------------------------------------------------

    def attach(self) -> list[ClientEvent]:
        """A browser (re)connected: returns what it needs first (ready, the conversation so far)."""
        self._attached = True
        self._detached_at = None
        self.outbox.clear()
        elapsed = int(self._clock() - self._started)
        ready = Ready(
            session=self.session_id,
            provider=self.provider.name,
            input_rate=INPUT_RATE,
            output_rate=self.provider.output_rate,
            max_seconds=int(self.config.max_seconds),
            elapsed_seconds=elapsed,
        )
        state = "live" if self.state == "live" else "reconnecting" if self.state == "reconnecting" else None
        return [ready, *self._history, *([StatusChanged(state)] if state else [])]

    def detach(self) -> None:
        """The browser went away; the session waits `reconnect_grace` seconds for it to come back."""
        self._attached = False
        self._detached_at = self._clock()
        self.outbox.clear()
        self._wake.set()

    def add_observer(self, observer: Observer) -> None:
        """Observers (a teacher's live view) get every event except audio, in order."""
        self._observers.append(observer)
        if self._observer_task is None:
            self._observer_task = asyncio.create_task(self._notify_observers(), name="observers")

    async def handle(self, event: ClientInput) -> None:
        match event:
            case AudioIn(pcm=pcm):
                self._turns.student_audio(pcm)
                await self._send_audio(pcm)
            case TextIn(text=text):
                self._activity()
                update, finished = self._turns.student_typed(text)
                self._emit(update)
                self._persist_turn(finished)
                await self._send(lambda conn: conn.send_text(text))
            case ImageIn(data=data, mime=mime):
                self._activity()
                await self._send(lambda conn: conn.send_image(data, mime))
            case MicChanged(on=on):
                self._activity()
                if not on:
                    await self._send(lambda conn: conn.end_audio_stream())
            case PlaybackReport(turn=turn, played_ms=played_ms):
                if turn == self._last_interrupted_turn:
                    await self._send(lambda conn: conn.playback_heard(max(0, played_ms)))
            case EndRequested():
                self.request_end("student")

    def summary_ready(self, through_turn: int) -> None:
        """A summary covering turns up to `through_turn` was written (Celery told us through the channel
        layer, or the store on the next context update). If it is newer than what this connection
        started from, a provider that refreshes starts a fresh connection from it at the next pause."""
        if through_turn <= self._summary_through or not self.config.refresh_on_summary or self.state != "live":
            return
        self._summary_through = through_turn
        self._fresh_context = True
        if self._reconnect_by is None:
            self._reconnect_by = self._clock() + 60.0  # at the next pause, at the latest in a minute
        self._wake.set()

    def request_end(self, reason: str) -> None:
        if self._end_reason is None:
            self._end_reason = reason
        self._wake.set()

    # ---- the main loop -----------------------------------------------------------------------

    async def run(self) -> str:
        """Run until the session ends; returns the end reason. Never raises for provider failures."""
        failed = False
        self.persister.start()
        try:
            await self._restore()
            await self._connect(initial=True)
            await self.store.mark_live()
            reason = await self._loop()
        except _Fatal as fatal:
            log.warning("session %s failed: %s", self.session_id, fatal.message)
            self._emit(SessionError(code=fatal.code, message=fatal.message, fatal=True))
            reason, failed = "provider_error", True
        except asyncio.CancelledError:
            # The server process is stopping: write what was said and leave the session open, so a
            # browser that reconnects to another process carries on (stale ones are ended later).
            await self._finish(HANDOFF, failed=False)
            raise
        await self._finish(reason, failed=failed)
        return reason

    async def _restore(self) -> None:
        state = await self.store.load()
        self._turns = TurnTracker(next_index=state.next_turn_index)
        self._started = self._clock() - state.elapsed_seconds
        self._handle = state.resumption_handle
        self._history = replay(state)

    async def _loop(self) -> str:
        while True:
            now = self._clock()
            if self._end_reason:
                return self._end_reason
            if now >= self._started + self.config.max_seconds:
                return "time_limit"
            if now >= self._last_activity + self.config.idle_timeout:
                return "idle"
            if self._detached_at is not None and now >= self._detached_at + self.config.reconnect_grace:
                return "disconnected"
            if self._reconnect_by is not None and (self._turns.quiet or now >= self._reconnect_by):
                await self._reconnect(planned=True)
                continue
            if self._reader is not None and self._reader.done():
                error, self._conn_error = self._conn_error, None
                if error is not None and not error.retryable:
                    raise _Fatal(error.code, error.message)
                await self._reconnect(planned=False)
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._next_deadline(now))

    def _next_deadline(self, now: float) -> float:
        deadlines = [self._started + self.config.max_seconds, self._last_activity + self.config.idle_timeout]
        if self._detached_at is not None:
            deadlines.append(self._detached_at + self.config.reconnect_grace)
        if self._reconnect_by is not None:
            deadlines.append(self._reconnect_by)
        return max(0.01, min(deadlines) - now)

    # ---- provider connections ----------------------------------------------------------------

    async def _connect(self, *, initial: bool) -> None:
        context = RestoredContext() if initial and self._turns.last_finished_index < 0 else None
        if context is None:
            context = await self.store.latest_context()
        self._summary_through = max(self._summary_through, context.summary_through_turn)
        setup = persona.build_setup(
            lesson=self.lesson,
            learner=self.learner,
            model=self.model,
            voice=self.voice,
            context=context,
            resumption_handle=self._handle,
            max_memory_chars=self.config.max_memory_chars,
        )
        last_error: ProviderConnectError | None = None
        for attempt in range(self.config.retries):
            if attempt:
                await asyncio.sleep(self.config.backoff * 2 ** (attempt - 1))
            try:
                conn = await self.provider.connect(setup)
            except ProviderConnectError as exc:
                if not exc.retryable:
                    raise _Fatal(exc.code, exc.message) from exc
                last_error = exc
                log.info("session %s: connect attempt %d failed: %s", self.session_id, attempt + 1, exc.message)
                if exc.code == "resumption_rejected":
                    setup = replace(setup, resumption_handle=None)
                    self._handle = None
                continue
            self._conn = conn
            self._conn_error = None
            self._meter.restart(ContextMeter.text_tokens(setup.instructions))
            if self.state != "live":  # said before anything of the new connection reaches the browser
                self._set_state("live")
            self._reader = asyncio.create_task(self._read(conn), name=f"provider-reader-{self.session_id}")
            await self._flush_pending_audio()
            return
        message = last_error.message if last_error else "the tutor service did not answer"
        raise _Fatal("provider_unavailable", f"The tutor could not reconnect: {message}")

    async def _reconnect(self, *, planned: bool) -> None:
        """Close the old connection first (Gemini refuses a resume while it is open), then connect anew."""
        self._reconnect_by = None
        if planned and self._fresh_context:
            self._fresh_context = False
            self._handle = None
            self.persister.submit(lambda: self.store.save_handle(""))
        if not planned:
            self._set_state("reconnecting")
        # A planned switch waits for a pause, unless the provider's deadline came first: whatever is
        # cut off is kept as it stands, as after a drop.
        for update, finished in self._turns.close_all():
            self._emit(update)
            if finished.role == "tutor":
                self._emit(TurnCompleted(turn=finished.index))
            self._persist_turn(finished)
        await self._close_connection()
        self._replay_unanswered()
        await self._connect(initial=False)

    async def _close_connection(self) -> None:
        conn, reader = self._conn, self._reader
        self._conn, self._reader = None, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()
        if reader is not None and not reader.done():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader

    async def _read(self, conn: LiveConnection) -> None:
        try:
            async for event in conn.events():
                self._on_provider_event(event)
                if conn is not self._conn:
                    return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a provider bug must not end the session: treat it as a drop
            log.exception("session %s: provider reader failed", self.session_id)
            self._conn_error = ProviderError("provider_exception", str(exc), retryable=True)
        finally:
            if conn is self._conn:
                self._wake.set()

    def _on_provider_event(self, event: ProviderEvent) -> None:
        match event:
            case AudioOut(pcm=pcm):
                self._turns.tutor_audio(pcm)
                self._emit(event)
            case SpeechStarted():
                self._activity()
                finished = self._turns.speech_started()
                if finished:
                    self._emit(TranscriptUpdate(finished.role, finished.index, finished.text, final=True))
                    self._persist_turn(finished)
            case TranscriptDelta(role="student", text=text):
                self._activity()
                self._emit(self._turns.student_delta(text))
            case TranscriptDelta(role="tutor", text=text):
                self._activity()
                self._emit(self._turns.tutor_delta(text))
            case TranscriptFinal(role="student", text=text):
                self._activity()
                update, finished = self._turns.student_final(text)
                self._emit(update)
                self._persist_turn(finished)
            case TranscriptFinal(role="tutor", text=text):
                self._emit(self._turns.tutor_final(text))
            case Interrupted():
                self._activity()
                self._last_interrupted_turn = self._turns.interrupted()
                self.outbox.flush_audio()
                self._emit(event)
            case TurnComplete():
                self._activity()
                self._unanswered.clear()
                self._unanswered_ms = 0.0
                completed = self._turns.tutor_complete()
                if completed:
                    update, finished = completed
                    self._emit(update)
                    self._emit(TurnCompleted(turn=finished.index))
                    self._persist_turn(finished)
                if self._reconnect_by is not None:
                    self._wake.set()
            case ToolCall():
                self._on_tool_call(event)
            case Usage(tokens=tokens):
                self._meter.observe_usage(tokens)
                self.persister.submit(lambda: self.store.save_usage(tokens))
                self._persist_context()
            case Resumable(handle=handle):
                self._handle = handle
                self.persister.submit(lambda: self.store.save_handle(handle))
            case GoingAway(time_left=time_left):
                self._reconnect_by = self._clock() + max(0.0, time_left - self.config.goaway_margin)
                self._wake.set()
            case ProviderError():
                self._conn_error = event

    def _on_tool_call(self, call: ToolCall) -> None:
        outcome = tools.interpret(call, student_turn=self._turns.last_student_index, objectives=self.lesson.objectives)
        match outcome.note:
            case CorrectionNoted() as note:
                self._emit(note)
                record = CorrectionNote(note.original, note.corrected, note.explanation, note.category, note.turn)
                self.persister.submit(lambda: self.store.save_correction(record))
            case VocabularyNoted(word=word, status=status) as note:
                self._emit(note)
                turn = self._turns.last_student_index
                self.persister.submit(lambda: self.store.save_vocabulary(word, status, turn))
            case PronunciationNoted() as note:
                self._emit(note)
                self.persister.submit(lambda: self.store.save_pronunciation(note))
            case ObjectiveMet(objective=objective) as note:
                self._emit(note)
                self.persister.submit(lambda: self.store.save_objective(objective))
        conn = self._conn
        if conn is not None:
            task = asyncio.create_task(self._answer_tool(conn, call, outcome.result))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _answer_tool(self, conn: LiveConnection, call: ToolCall, result: dict) -> None:
        try:
            await conn.send_tool_result(call.call_id, call.name, result)
        except Exception:  # the connection dropped; the reader will notice and reconnect
            log.info("session %s: tool result for %s not delivered", self.session_id, call.call_id)

    # ---- sending -----------------------------------------------------------------------------

    async def _send_audio(self, pcm: bytes) -> None:
        if self._conn is None or self._pending_audio:
            self._buffer_audio(pcm)
            return
        try:
            await self._conn.send_audio(pcm)
        except Exception:
            self._buffer_audio(pcm)
            return
        self._sent(pcm)

    def _sent(self, pcm: bytes) -> None:
        self._unanswered.append(pcm)
        self._unanswered_ms = _trim(
            self._unanswered, self._unanswered_ms + duration_ms(pcm, INPUT_RATE), self.config.audio_buffer_ms
        )

    def _buffer_audio(self, pcm: bytes) -> None:
        self._pending_audio.append(pcm)
        self._pending_audio_ms = _trim(
            self._pending_audio, self._pending_audio_ms + duration_ms(pcm, INPUT_RATE), self.config.audio_buffer_ms
        )

    def _replay_unanswered(self) -> None:
        """What the student said since the tutor's last turn reached a connection that is now gone, before
        anything was answered: the new connection hears it again (the newest `audio_buffer_ms` of it)."""
        for pcm in reversed(self._unanswered):
            self._pending_audio.appendleft(pcm)
        self._pending_audio_ms = _trim(
            self._pending_audio, self._pending_audio_ms + self._unanswered_ms, self.config.audio_buffer_ms
        )
        self._unanswered.clear()
        self._unanswered_ms = 0.0

    async def _flush_pending_audio(self) -> None:
        while self._pending_audio and self._conn is not None:
            pcm = self._pending_audio.popleft()
            self._pending_audio_ms -= duration_ms(pcm, INPUT_RATE)
            try:
                await self._conn.send_audio(pcm)
            except Exception:
                self._pending_audio.appendleft(pcm)
                self._pending_audio_ms += duration_ms(pcm, INPUT_RATE)
                return
            self._sent(pcm)
        self._pending_audio_ms = max(0.0, self._pending_audio_ms)

    async def _send(self, action: Callable[[LiveConnection], Awaitable[None]]) -> None:
        """Text, pictures and control go to the current connection; while reconnecting they are dropped
        with an error the student sees, rather than replayed into a conversation that moved on."""
        conn = self._conn
        if conn is None:
            self._emit(SessionError("reconnecting", "The tutor is reconnecting; try again in a moment.", False))
            return
        try:
            await action(conn)
        except Exception as exc:
            log.info("session %s: send failed: %s", self.session_id, exc)
            self._emit(SessionError("not_delivered", "That did not reach the tutor; please try again.", False))

    # ---- output, persistence, ending ---------------------------------------------------------

    def _emit(self, event: ClientEvent) -> None:
        if self._attached:
            self.outbox.put(event)
        if isinstance(event, CorrectionNoted | VocabularyNoted | PronunciationNoted | ObjectiveMet) or (
            isinstance(event, TranscriptUpdate) and event.final
        ):
            self._history.append(event)
        if self._observers and not isinstance(event, AudioOut):
            self._observed.put_nowait(event)

    async def _notify_observers(self) -> None:
        """One task delivers to observers in order, so a teacher's view never sees turns shuffled."""
        while (event := await self._observed.get()) is not None:
            for observer in self._observers:
                try:
                    await observer(event)
                except Exception:
                    log.exception("session %s: observer failed", self.session_id)

    def _persist_turn(self, turn: FinishedTurn) -> None:
        self._meter.observe_turn(turn)
        self.persister.submit(lambda: self.store.save_turn(turn))
        self._persist_context()

    def _persist_context(self) -> None:
        tokens, through = self._meter.tokens, self._turns.last_finished_index

        async def write() -> None:
            await self.store.save_context_tokens(tokens, through)
            self.summary_ready(await self.store.summarized_through())

        self.persister.submit(write)

    def _set_state(self, state: str) -> None:
        self.state = state
        if state in ("live", "reconnecting", "ending"):
            self._emit(StatusChanged(state))

    def _activity(self) -> None:
        self._last_activity = self._clock()

    async def _finish(self, reason: str, *, failed: bool) -> None:
        self._set_state("ending")
        await self._close_connection()
        for update, finished in self._turns.close_all():
            self._emit(update)
            self._persist_turn(finished)
        try:
            await self.persister.stop()
            if reason != HANDOFF:
                await self.store.end(reason, failed=failed)
        finally:
            self.state = "ended"
            self._emit(Ended(reason=reason))
            if self._observer_task is not None:
                self._observed.put_nowait(None)  # observers see everything up to the end, then stop
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._observer_task, timeout=5)
            self.done.set()


def _trim(chunks: deque[bytes], total_ms: float, limit_ms: float) -> float:
    """Drop the oldest audio beyond `limit_ms`; returns the duration kept."""
    while total_ms > limit_ms and chunks:
        total_ms -= duration_ms(chunks.popleft(), INPUT_RATE)
    return max(0.0, total_ms)
