"""One live session, run by reading one inbox (signals.py): the provider's events and what the session's parts
tell it, each dispatched on its type, one at a time, in the order they happened. The runner's jobs:

1. take the student's browser on and off (`attach`: ready and the conversation so far) and its input (`handle`);
2. dispatch what reaches the inbox to the part whose business it is;
3. end the session when it is asked to or a clock runs out (Deadlines, deadlines.py);
4. replace the connection when a switch is due and the moment has come (SwitchPlanner, switching.py), or at
   once when it is lost;
5. fail over to the next provider when one cannot serve (Failover, failover.py);
6. brief each new connection: the persona, the summaries, the recent turns, what is owed;
7. finish: close what is open, write everything, say why.

Its parts never call back into it: the ConnectionManager (connections.py) holds the provider connection and
replays to a new one what it has not heard; the Conversation (conversation.py) turns the provider's events into
turns and notes; the Recorder (recorder.py) writes them and meters the context; the Audience (audience.py) shows
them to the browser, its replay and a teacher's view.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace

from .. import persona
from ..audio import INPUT_RATE
from ..brief import LearnerProfile, LessonBrief, RestoredContext, SessionSetup
from ..config import RunnerConfig
from ..context import ContextMeter
from ..events import (
    AudioIn,
    ClientEvent,
    ClientInput,
    Ended,
    EndRequested,
    ImageIn,
    LessonComplete,
    MicChanged,
    PlaybackReport,
    ProviderError,
    Ready,
    SavingChanged,
    SessionError,
    StatusChanged,
    TextIn,
    Usage,
    VideoFrameIn,
)
from ..providers.base import LiveProvider
from . import signals
from .audience import Audience, Observer
from .connections import ConnectFailed, ConnectionManager
from .conversation import Conversation
from .deadlines import Deadlines
from .errors import student_message
from .failover import Failover, ProviderHealth, TutorChoice
from .inputs import unanswered
from .journal import Journal
from .outbox import Outbox
from .recorder import Recorder
from .signals import Inbox, RunnerInput
from .store import SessionStore, replay
from .switching import SwitchPlanner

log = logging.getLogger(__name__)

# The end reason of a runner that gives its session to a runner in another process: the session
# goes on there, so this one writes what it has but does not end the session.
HANDOFF = "handoff"
COMPLETED = "completed"  # the tutor ended the lesson after its closing line (a LessonComplete)
CONNECTION_STATES = ("live", "reconnecting", "switching", "failover")  # told to a browser that (re)attaches
SHOWN_STATES = (*CONNECTION_STATES, "ending")
# How long a stopping process waits for writes the database does not take: the journal keeps the rest
# (live/journal.py) and the next start writes them.
STOPPING_WRITES_WAIT = 5.0
SAVING = {signals.SavingDelayed: "delayed", signals.SavingFull: "full", signals.Saved: "saved"}
SAVING_SIGNALS = tuple(SAVING)
REFUSED_WHEN_FULL = (AudioIn, TextIn, ImageIn, VideoFrameIn)


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
        journal: Journal | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session_id, self.provider, self.store = session_id, provider, store
        self.lesson, self.learner, self.model, self.voice, self.config = lesson, learner, model, voice, config
        self.failover = Failover(fallbacks, health)
        self._clock = clock
        self.inbox = Inbox()
        self.audience = Audience(session_id)
        self.recorder = Recorder(
            store=store, inbox=self.inbox, meter=ContextMeter(*config.audio_tokens_per_second), journal=journal
        )
        self.recorder.speaking(provider.name, model)
        self.connections = ConnectionManager(
            session_id=session_id, provider=provider, config=config, inbox=self.inbox, clock=clock
        )
        self.conversation = Conversation(
            audience=self.audience, recorder=self.recorder, connections=self.connections, objectives=lesson.objectives
        )
        self.deadlines = Deadlines(config, clock)
        self.switches = SwitchPlanner(refresh_on_summary=config.refresh_on_summary)
        self._taking_over = False  # the next connection continues what a failed provider was doing
        self._end_reason: str | None = None
        self.restored = False
        self.state = "starting"
        self.saving = "saved"  # or "delayed", "full": what the student was last told of the writes
        self.done = asyncio.Event()

    @property
    def outbox(self) -> Outbox:
        return self.audience.outbox

    # ---- the browser's side --------------------------------------------------------------------

    def attach(self) -> list[ClientEvent]:
        """A browser (re)connected: returns what it needs first (ready, the conversation so far). Call it
        after `restore()`, so a session taken up from the database starts where it stood."""
        self.deadlines.attached()
        ready = Ready(
            session=self.session_id,
            provider=self.provider.name,
            input_rate=INPUT_RATE,
            output_rate=self.provider.output_rate,
            max_seconds=int(self.config.max_seconds),
            elapsed_seconds=int(self.deadlines.elapsed),
        )
        now = [StatusChanged(self.state)] if self.state in CONNECTION_STATES else []
        if self.saving != "saved":
            now.append(SavingChanged(self.saving))
        return self.audience.attach(ready, *now)

    def detach(self) -> None:
        """The browser went away; the session waits `reconnect_grace` seconds for it to come back."""
        self.audience.detach()
        self.deadlines.detached()
        self.inbox.post(signals.BrowserLeft())

    def add_observer(self, observer: Observer) -> None:
        """Observers (a teacher's live view) get every event except audio, in order."""
        self.audience.add_observer(observer)

    def remove_observer(self, observer: Observer) -> None:
        self.audience.remove_observer(observer)

    def summary_ready(self, through_turn: int) -> None:
        self.inbox.post(signals.SummaryReady(through_turn))

    def request_end(self, reason: str) -> None:
        self.inbox.post(signals.EndDue(reason))

    async def handle(self, event: ClientInput) -> None:
        if self.recorder.persister.full and isinstance(event, REFUSED_WHEN_FULL):
            return  # nothing more is taken in until what waits is written (the student was told: saving full)
        match event:
            case AudioIn(pcm=pcm):
                self.conversation.turns.student_audio(pcm)
                await self.connections.send_audio(pcm)
            case TextIn(text=text):
                self.deadlines.activity()
                await self.connections.send_turn(self.conversation.typed(text))  # recorded once taken (Delivered)
            case ImageIn(data=data, mime=mime):
                self.deadlines.activity()
                await self.connections.send_picture(data, mime, position=self.conversation.turns.next_index)
            case VideoFrameIn(data=data, mime=mime):
                # Not activity: a camera left on in a forgotten tab must not keep a silent session (and its
                # bill) running until the time limit.
                if await self.connections.send_video_frame(data, mime):
                    self.recorder.video_frame(self.config.video_frame_tokens)
            case MicChanged(on=on):
                self.deadlines.activity()
                if not on:
                    await self.connections.end_audio_stream()
            case PlaybackReport(turn=turn, played_ms=played_ms):
                if self.conversation.heard(turn, played_ms):
                    await self.connections.playback_heard(max(0, played_ms))
            case EndRequested():
                self.request_end("student")

    # ---- the session's life ----------------------------------------------------------------------

    async def restore(self) -> None:
        """Take the session up where the store says it stands: turn numbers, elapsed time, the provider's
        resumption handle, the conversation to show, and what is still owed an answer."""
        if self.restored:
            return
        state = await self.store.load()
        self.conversation.resume(next_turn=state.next_turn_index)
        self.deadlines.resume(elapsed=state.elapsed_seconds)
        self.audience.history = replay(state)
        self.connections.resume(handle=state.resumption_handle, owed=unanswered(state.turns))
        self.restored = True

    async def run(self) -> str:
        """Run until the session ends; returns the end reason. Never raises for provider failures."""
        failed = False
        try:
            await self.restore()
            self.recorder.start(through=self.conversation.turns.last_finished_index)
            await self._connect()
            self.recorder.mark_live()
            reason = await self._loop()
        except _Fatal as fatal:
            log.warning("session %s failed: %s (%s)", self.session_id, fatal.code, fatal.detail)
            self.audience.emit(SessionError(code=fatal.code, message=student_message(fatal.code), fatal=True))
            reason, failed = "provider_error", True
        except asyncio.CancelledError:
            # The server process is stopping: write what was said and leave the session open, so a
            # browser that reconnects to another process carries on (stale ones are ended later).
            await self._finish(HANDOFF, failed=False, within=STOPPING_WRITES_WAIT)
            raise
        await self._finish(reason, failed=failed)
        return reason

    async def _loop(self) -> str:
        while (reason := self._end_reason or self.deadlines.ended()) is None:
            pause = self.conversation.turns.quiet and self.connections.settled  # nobody mid-turn, nothing owed
            if self.switches.ready(self._clock(), pause=pause):
                await self._switch(planned=True)  # which may leave another due (a summary a resume did not take)
                continue
            item = await self.inbox.next(within=self.deadlines.seconds_left(also=self.switches.by))
            if item is not None:
                await self._dispatch(item)
        return reason

    async def _dispatch(self, item: RunnerInput) -> None:
        match item:
            case signals.Delivered(turn=turn):
                self.recorder.turn(turn)
            case signals.HandleIssued(handle=handle):
                self.recorder.handle(handle)
                self.switches.handle_issued()
            case signals.SwitchDue() as due:
                self.switches.due(due)
            case signals.ConnectionLost(connection=number, error=error):
                if number == self.connections.serial:  # not one already replaced
                    await self._lost(error or self.connections.error)
            case signals.SummaryReady(through_turn=through):
                if self.state == "live":
                    self.switches.summary_written(through, now=self._clock())
            case signals.EndDue(reason=reason):
                self._end_reason = self._end_reason or reason
            case signals.BrowserLeft():
                pass  # the loop now counts the reconnect grace
            case signals.FencedOut():
                # Another process hosts the session now: hand it off at once, never end it from here.
                self._end_reason = HANDOFF
                await self.connections.close()
            case signals.SavingDelayed() | signals.SavingFull() | signals.Saved():
                self.saving = SAVING[type(item)]
                self.audience.emit(SavingChanged(self.saving))
            case LessonComplete():
                # The provider says so after the TurnComplete of its closing line, which the Conversation has
                # recorded by now: ending here (_finish waits for the writes) keeps that line whole.
                self._end_reason = self._end_reason or COMPLETED
            case _:  # the provider's own events
                if self.conversation.provider_event(item):
                    self.deadlines.activity()

    # ---- connections -------------------------------------------------------------------------------

    async def _switch(self, *, planned: bool) -> None:
        """A planned switch waits for a pause unless the provider's deadline came first: whatever is cut off
        then is kept as it stands, as after a drop (a cut tutor reply answers nothing: what it was answering
        is replayed). A fresh one starts from the summaries instead of the resumption handle: a lost connection
        resumes if it can, unless a fresh one is due anyway (a summary), which it then becomes."""
        fresh = self.switches.take()
        self.conversation.close_open_turns()
        self._set_state("switching" if planned else "reconnecting")
        await self.connections.close()
        if fresh:
            self.connections.forget_handle()
            self.recorder.handle("")
        await self._connect()

    async def _lost(self, error: ProviderError | None) -> None:
        """The connection is gone: a new one, or, if this provider refuses to go on, the next provider (or the
        end of the session when none is left)."""
        if error is None or error.retryable:
            await self._switch(planned=False)
            return
        self.conversation.close_open_turns()
        await self.connections.close()
        await self._fail_over(_Fatal("provider_refused", f"{error.code}: {error.message}"))
        await self._connect()

    async def _connect(self) -> None:
        """Connect, or fail over: a provider that cannot be reached past its retries, or refuses, hands the
        session to the next in the site's order, with the same persona, summaries and recent turns."""
        while True:
            setup = await self._setup()
            try:
                await self.connections.open(setup)
            except ConnectFailed as failure:
                code = "provider_unavailable" if failure.retryable else "provider_refused"
                await self._fail_over(_Fatal(code, f"{failure.code}: {failure.message}"))
                continue
            self._opened(setup)
            self._taking_over = False
            self._set_state("live")  # before anything the new connection says reaches the browser
            await self.failover.connected(self.provider.name)
            return

    async def _fail_over(self, fatal: _Fatal) -> None:
        """Give up on this provider: the next one takes over, or the session fails with `fatal`."""
        choice = await self.failover.next_after(self.provider.name)
        if choice is None:
            raise fatal
        log.warning(
            "session %s: %s failed (%s); going on with %s", self.session_id, self.provider.name, fatal.detail,
            choice.provider.name,
        )  # fmt: skip
        self.provider, self.model, self.voice = choice.provider, choice.model, choice.voice
        self.config = replace(choice.config, max_seconds=self.config.max_seconds)
        self.switches.refresh_on_summary = self.config.refresh_on_summary
        self._taking_over = True
        self.connections.use_provider(choice.provider, self.config)
        self.recorder.handle("")
        meter = ContextMeter(*self.config.audio_tokens_per_second)
        self.recorder.provider_switched(choice.provider.name, choice.model, meter)
        self._set_state("failover")

    async def _setup(self) -> SessionSetup:
        """What a new connection is told. A session with nothing said yet starts from the lesson alone;
        otherwise from the summaries and the recent turns, less the turns that will be replayed to it."""
        owed = self.connections.ledger.owed_turns()
        context = RestoredContext()
        if self.conversation.turns.last_finished_index >= 0:
            context = await self.store.latest_context()
            context = replace(context, recent=tuple(turn for turn in context.recent if turn.index not in owed))
        setup = persona.build_setup(
            lesson=self.lesson,
            learner=self.learner,
            model=self.model,
            voice=self.voice,
            context=context,
            resumption_handle=self.connections.handle,
            max_memory_chars=self.config.max_memory_chars,
        )
        return replace(setup, takes_over=self._taking_over, answer_owed=bool(owed))

    def _opened(self, setup: SessionSetup) -> None:
        """What the service holds now. A fresh connection holds the instructions (summaries included) and what is
        replayed to it: the context meter starts again from there, and the summaries it was briefed with are
        taken in. A connection resumed with a handle holds the whole conversation as before: the meter goes on
        counting it, and a summary newer than the last fresh start still asks for a fresh connection."""
        through = setup.context.summary_through_turn
        if self.connections.resumed:
            self.switches.resumed(through, now=self._clock())
            return
        self.switches.started_fresh(through)
        self.recorder.meter.restart(ContextMeter.text_tokens(setup.instructions))

    # ---- state and ending ------------------------------------------------------------------------

    def _record_what_is_left(self) -> None:
        """What the provider reported that the session ended (or was handed off) before handling: a usage report
        was billed all the same, and a newer resumption handle is what the next process resumes with."""
        while (item := self.inbox.take_nowait()) is not None:
            match item:
                case Usage(tokens=tokens, model=model, purpose=purpose):
                    self.recorder.usage(tokens, model=model, purpose=purpose)
                case signals.HandleIssued(handle=handle):
                    self.recorder.handle(handle)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            if state in SHOWN_STATES:
                self.audience.emit(StatusChanged(state))

    async def _write_everything(self, within: float | None) -> None:
        """Wait for the writes, telling the browser meanwhile whether saving is delayed (the inbox's saving signals:
        a session that ends while the database is away is written when it is back, and the student sees why it
        takes a while)."""
        writing = asyncio.create_task(self.recorder.stop(within=within))
        while not writing.done():
            reading = asyncio.create_task(self.inbox.next(within=None))
            await asyncio.wait((writing, reading), return_when=asyncio.FIRST_COMPLETED)
            if not reading.done():
                reading.cancel()
                continue
            item = reading.result()
            if isinstance(item, SAVING_SIGNALS):
                await self._dispatch(item)
        await writing

    async def _finish(self, reason: str, *, failed: bool, within: float | None = None) -> None:
        """Write everything, the end last: during a database outage this waits for it to come back (the
        student is told saving is delayed), unless the process is stopping (`within`)."""
        self._set_state("ending")
        await self.connections.close()
        self._record_what_is_left()
        self.conversation.close_open_turns()
        try:
            if reason != HANDOFF:
                self.recorder.end(reason, failed=failed)
            await self._write_everything(within)
        finally:
            self.state = "ended"
            self.audience.emit(Ended(reason=reason))
            await self.audience.close()
            self.done.set()
