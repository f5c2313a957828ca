"""One live session: pumps the student's input in and the tutor's out, keeps the turns, writes every
finished turn, correction and usage row as it happens, and ends the session cleanly (student, time
limit, idle, disconnect or failure). The provider connection and every switch between connections
belong to the ConnectionManager (connections.py); the runner decides when a switch is due.

The runner outlives a browser connection: a browser that reconnects attaches to the same runner and
gets the conversation so far replayed.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from .. import persona, tools
from ..audio import INPUT_RATE
from ..brief import LearnerProfile, LessonBrief, RestoredContext, SessionSetup
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
    ImageIn,
    Interrupted,
    MicChanged,
    ObjectiveMet,
    PlaybackReport,
    PronunciationNoted,
    ProviderEvent,
    Ready,
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
    VideoFrameIn,
    VocabularyNoted,
)
from ..providers.base import LiveProvider
from .connections import ConnectFailed, ConnectionManager
from .errors import student_message
from .failover import NoHealth, ProviderHealth, TutorChoice
from .inputs import unanswered
from .outbox import Outbox
from .persister import Persister
from .store import CorrectionNote, FinishedTurn, SessionStore, replay
from .turns import TurnTracker

log = logging.getLogger(__name__)

Observer = Callable[[ClientEvent], Awaitable[None]]

# The end reason of a runner that gives its session to a runner in another process: the session
# goes on there, so this one writes what it has but does not end the session.
HANDOFF = "handoff"
# A summary makes the next connection a fresh one: at the next pause, at the latest this much later.
SUMMARY_SWITCH_WITHIN_SECONDS = 60.0


class _Fatal(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


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
        fallbacks: tuple[TutorChoice, ...] = (),
        health: ProviderHealth | None = None,
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
        self._fallbacks = list(fallbacks)  # the providers to go on with, in order, should this one fail
        self._health = health or NoHealth()
        self._taking_over = False  # the next connection continues what a failed provider was doing
        self._clock = clock
        self.outbox = Outbox()
        self.persister = Persister()
        self._observers: list[Observer] = []
        self._observed: asyncio.Queue[ClientEvent | None] = asyncio.Queue()
        self._observer_task: asyncio.Task | None = None
        self._turns = TurnTracker()
        self._meter = ContextMeter(*config.audio_tokens_per_second)
        self._history: list[ClientEvent] = []  # durable events, replayed to a browser that reattaches
        self._wake = asyncio.Event()
        self.connections = self._manager(handle=None)
        self._end_reason: str | None = None
        self._summary_through = -1  # the newest summary the current connection (or one planned) starts from
        self._started = clock()
        self._last_activity = clock()
        self._detached_at: float | None = clock()  # no browser until the first attach
        self._attached = False
        self._last_interrupted_turn: int | None = None
        self._context_writes = 0
        self.restored = False
        self.state = "starting"
        self.done = asyncio.Event()

    def _manager(self, *, handle: str | None) -> ConnectionManager:
        return ConnectionManager(
            session_id=self.session_id,
            provider=self.provider,
            config=self.config,
            make_setup=self._setup,
            on_event=self._on_provider_event,
            on_delivered=self._persist_turn,
            on_status=self._set_state,
            save_handle=lambda handle: self.persister.submit(lambda: self.store.save_handle(handle)),
            wake=self._wake,
            clock=self._clock,
            handle=handle,
        )

    # ---- the browser side --------------------------------------------------------------------

    def attach(self) -> list[ClientEvent]:
        """A browser (re)connected: returns what it needs first (ready, the conversation so far). Call it
        after `restore()`, so a session taken up from the database starts where it stood."""
        self._attached = True
        self._detached_at = None
        self.outbox.clear()
        ready = Ready(
            session=self.session_id,
            provider=self.provider.name,
            input_rate=INPUT_RATE,
            output_rate=self.provider.output_rate,
            max_seconds=int(self.config.max_seconds),
            elapsed_seconds=int(self._clock() - self._started),
        )
        state = self.state if self.state in ("live", "reconnecting", "switching", "failover") else None
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
                await self.connections.send_audio(pcm)
            case TextIn(text=text):
                self._activity()
                update, finished = self._turns.student_typed(text)
                self._emit(update)
                await self.connections.send_turn(finished)  # stored once a connection took it
            case ImageIn(data=data, mime=mime):
                self._activity()
                await self.connections.send_picture(data, mime, position=self._turns.next_index)
            case VideoFrameIn(data=data, mime=mime):
                # Not activity: a camera left on in a forgotten tab must not keep a silent session (and its
                # bill) running until the time limit.
                if await self.connections.send_video_frame(data, mime):
                    self._meter.observe_tokens(self.config.video_frame_tokens)
            case MicChanged(on=on):
                self._activity()
                if not on:
                    await self.connections.end_audio_stream()
            case PlaybackReport(turn=turn, played_ms=played_ms):
                if turn == self._last_interrupted_turn:
                    await self.connections.playback_heard(max(0, played_ms))
                    self._heard(turn, played_ms)
            case EndRequested():
                self.request_end("student")

    def summary_ready(self, through_turn: int) -> None:
        """A summary covering turns up to `through_turn` was written (Celery told us through the channel
        layer, or the store after a context update). If it is newer than what this connection started
        from, a provider that refreshes starts a fresh connection from it at the next pause."""
        if through_turn <= self._summary_through or not self.config.refresh_on_summary or self.state != "live":
            return
        self._summary_through = through_turn
        self.connections.plan_switch(by=self._clock() + SUMMARY_SWITCH_WITHIN_SECONDS, fresh=True)

    def request_end(self, reason: str) -> None:
        if self._end_reason is None:
            self._end_reason = reason
        self._wake.set()

    # ---- the main loop -----------------------------------------------------------------------

    async def restore(self) -> None:
        """Take the session up where the store says it stands: turn numbers, elapsed time, the provider's
        resumption handle, the conversation to show, and what is still owed an answer."""
        if self.restored:
            return
        state = await self.store.load()
        self._turns = TurnTracker(next_index=state.next_turn_index)
        self._started = self._clock() - state.elapsed_seconds
        self._history = replay(state)
        self.connections = self._manager(handle=state.resumption_handle)
        for owed in unanswered(state.turns):  # a handle the old server kept was issued after them, if any
            self.connections.ledger.owe(owed, covered=state.resumption_handle is not None)
        self.restored = True

    async def run(self) -> str:
        """Run until the session ends; returns the end reason. Never raises for provider failures."""
        failed = False
        self.persister.start()
        try:
            await self.restore()
            await self._connect(self.connections.connect)
            await self.store.mark_live()
            reason = await self._loop()
        except _Fatal as fatal:
            log.warning("session %s failed: %s (%s)", self.session_id, fatal.code, fatal.detail)
            self._emit(SessionError(code=fatal.code, message=student_message(fatal.code), fatal=True))
            reason, failed = "provider_error", True
        except asyncio.CancelledError:
            # The server process is stopping: write what was said and leave the session open, so a
            # browser that reconnects to another process carries on (stale ones are ended later).
            await self._finish(HANDOFF, failed=False)
            raise
        await self._finish(reason, failed=failed)
        return reason

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
            manager = self.connections
            if manager.broken:
                error = manager.take_error()
                if error is not None and not error.retryable:  # this provider refuses: the next one, if any
                    await self._replace_provider(_Fatal("provider_refused", f"{error.code}: {error.message}"))
                else:
                    await self._switch(planned=False)
                continue
            if manager.switch_due(now, pause=self._turns.quiet and manager.settled):
                await self._switch(planned=True)
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._next_deadline(now))

    def _next_deadline(self, now: float) -> float:
        deadlines = [self._started + self.config.max_seconds, self._last_activity + self.config.idle_timeout]
        if self._detached_at is not None:
            deadlines.append(self._detached_at + self.config.reconnect_grace)
        if self.connections.switch_by is not None:
            deadlines.append(self.connections.switch_by)
        return max(0.01, min(deadlines) - now)

    # ---- connections -------------------------------------------------------------------------

    async def _switch(self, *, planned: bool) -> None:
        """A planned switch waits for a pause unless the provider's deadline came first: whatever is cut
        off then is kept as it stands, as after a drop (a cut tutor reply answers nothing: what it was
        answering is replayed)."""
        self._close_open_turns()
        await self._connect(lambda: self.connections.switch(planned=planned))

    async def _replace_provider(self, fatal: _Fatal) -> None:
        """The provider refused to go on: the session goes on with the next one, or ends with `fatal`."""
        self._close_open_turns()
        await self.connections.close()
        await self._abandon(fatal)
        await self._connect(self.connections.connect)

    def _close_open_turns(self) -> None:
        """Keep what was being said as it stands (under the provider that said it)."""
        for update, finished in self._turns.close_all():
            self._emit(update)
            if finished.role == "tutor":
                self._emit(TurnCompleted(turn=finished.index))
            else:
                self.connections.transcribed(finished)
            self._persist_turn(finished)

    async def _connect(self, connect: Callable[[], Awaitable[None]]) -> None:
        """Connect, or fail over: a provider that cannot be reached past its retries, or refuses, hands
        the session to the next in the site's order, with the same persona, summaries and recent turns."""
        while True:
            try:
                await connect()
            except ConnectFailed as failure:
                code = "provider_unavailable" if failure.retryable else "provider_refused"
                await self._abandon(_Fatal(code, f"{failure.code}: {failure.message}"))
                connect = self.connections.connect
                continue
            self._taking_over = False
            await self._health.recovered(self.provider.name)
            return

    async def _abandon(self, fatal: _Fatal) -> None:
        """Give up on this provider: the next one takes over, or the session fails with `fatal`."""
        await self._health.failed(self.provider.name)
        choice = await self._next_choice()
        if choice is None:
            raise fatal
        log.warning(
            "session %s: %s failed (%s); going on with %s", self.session_id, self.provider.name, fatal.detail,
            choice.provider.name,
        )  # fmt: skip
        self._fail_over(choice)

    async def _next_choice(self) -> TutorChoice | None:
        """The first fallback not held to be down, else the first at all (a health mark is only a guess)."""
        for position, choice in enumerate(self._fallbacks):
            if await self._health.usable(choice.provider.name):
                return self._fallbacks.pop(position)
        return self._fallbacks.pop(0) if self._fallbacks else None

    def _fail_over(self, choice: TutorChoice) -> None:
        self.provider, self.model, self.voice = choice.provider, choice.model, choice.voice
        self.config = replace(choice.config, max_seconds=self.config.max_seconds)
        self._meter = ContextMeter(*self.config.audio_tokens_per_second)
        self._taking_over = True
        self.connections.use_provider(choice.provider, self.config)
        self._set_state("failover")
        name, model = choice.provider.name, choice.model
        self.persister.submit(lambda: self.store.save_provider(name, model))

    async def _setup(self, handle: str | None, owed: set[int]) -> SessionSetup:
        """What a new connection is told. A session with nothing said yet starts from the lesson alone;
        otherwise from the summaries and the recent turns, less the turns that will be replayed to it."""
        context = RestoredContext()
        if self._turns.last_finished_index >= 0:
            context = await self.store.latest_context()
            context = replace(context, recent=tuple(turn for turn in context.recent if turn.index not in owed))
        self._summary_through = max(self._summary_through, context.summary_through_turn)
        setup = persona.build_setup(
            lesson=self.lesson,
            learner=self.learner,
            model=self.model,
            voice=self.voice,
            context=context,
            resumption_handle=handle,
            max_memory_chars=self.config.max_memory_chars,
        )
        setup = replace(setup, takes_over=self._taking_over, answer_owed=bool(owed))
        self._meter.restart(ContextMeter.text_tokens(setup.instructions))
        return setup

    # ---- the provider's events ---------------------------------------------------------------

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
                    self._student_finished(finished)
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
                self._student_finished(finished)
            case TranscriptFinal(role="tutor", text=text):
                self._emit(self._turns.tutor_final(text))
            case Interrupted():
                self._activity()
                self._last_interrupted_turn = self._turns.interrupted()
                self.outbox.flush_audio()
                self._emit(event)
            case TurnComplete():
                self._activity()
                completed = self._turns.tutor_complete()
                if completed:
                    update, finished = completed
                    self._emit(update)
                    self._emit(TurnCompleted(turn=finished.index))
                    self._persist_turn(finished)
                    self.connections.answered(finished.index)
                if self.connections.switch_by is not None:
                    self._wake.set()
            case ToolCall():
                self._on_tool_call(event)
            case Usage(tokens=tokens, model=model, purpose=purpose):
                self.persister.submit(lambda: self.store.save_usage(tokens, model=model, purpose=purpose))
                if purpose == "live":  # another model's tokens (the student's transcription) are not this context
                    self._meter.observe_usage(tokens)
                    self._persist_context()

    def _student_finished(self, turn: FinishedTurn) -> None:
        self.connections.transcribed(turn)
        self._persist_turn(turn)

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
        self.connections.answer_tool(call, outcome.result)

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

    def _heard(self, index: int, played_ms: int) -> None:
        """The student heard only the start of a tutor turn: it is shown and stored as what they heard, which
        is what the next fresh connection is told the tutor said (OpenAI's own copy is truncated likewise)."""
        cut = self._turns.heard(index, played_ms)
        if cut is not None:
            update, turn = cut
            self._emit(update)
            self._save_turn(turn)  # the same row again: its words were counted against the context already

    def _persist_turn(self, turn: FinishedTurn) -> None:
        self._meter.observe_turn(turn)
        self._save_turn(turn)
        self._persist_context()

    def _save_turn(self, turn: FinishedTurn) -> None:
        turn = replace(turn, provider=self.provider.name, model=self.model)
        self.persister.submit(lambda: self.store.save_turn(turn))

    def _persist_context(self) -> None:
        """The context size after each turn and usage report. A write queued behind a newer one is
        skipped: the newer one is taken after everything it counts was queued, so it alone suffices."""
        tokens, through = self._meter.tokens, self._turns.last_finished_index
        self._context_writes += 1
        number = self._context_writes

        async def write() -> None:
            if number == self._context_writes:
                self.summary_ready(await self.store.save_context_tokens(tokens, through))

        self.persister.submit(write)

    def _set_state(self, state: str) -> None:
        if state == self.state:
            return  # said already
        self.state = state
        if state in ("live", "reconnecting", "switching", "failover", "ending"):
            self._emit(StatusChanged(state))

    def _activity(self) -> None:
        self._last_activity = self._clock()

    async def _finish(self, reason: str, *, failed: bool) -> None:
        self._set_state("ending")
        await self.connections.close()
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
