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

from .. import persona, turntaking
from ..audio import INPUT_RATE
from ..brief import LearnerProfile, LessonBrief, RestoredContext, SessionSetup
from ..config import RunnerConfig
from ..context import ContextMeter
from ..events import (
    AudioIn,
    AudioOut,
    ClientEvent,
    ClientInput,
    Ducking,
    Ended,
    EndRequested,
    HelpOffered,
    ImageIn,
    Interrupted,
    LessonComplete,
    Listening,
    MicChanged,
    PlaybackReport,
    ProviderError,
    Ready,
    SessionError,
    SpeechStarted,
    StatusChanged,
    TextIn,
    Usage,
    VideoFrameIn,
)
from ..patience import patience_for
from ..providers.base import LiveProvider
from ..turntaking.vad import Vad
from . import signals
from .audience import Audience, Observer
from .connections import ConnectFailed, ConnectionManager
from .conversation import Conversation
from .deadlines import Deadlines
from .errors import student_message
from .failover import Failover, ProviderHealth, TutorChoice
from .hearing import Hearing
from .inputs import unanswered
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
HELPS = 2  # how many times a silent student is offered help before the tutor waits for them
CONNECTION_STATES = ("live", "reconnecting", "switching", "failover")  # told to a browser that (re)attaches
SHOWN_STATES = (*CONNECTION_STATES, "ending")


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
        vad: Vad | None = None,
        turn_model: turntaking.TurnModel | None = None,
    ) -> None:
        self.session_id, self.provider, self.store = session_id, provider, store
        self.lesson, self.learner, self.model, self.voice, self.config = lesson, learner, model, voice, config
        self.failover = Failover(fallbacks, health)
        self._clock = clock
        self.inbox = Inbox()
        self.audience = Audience(session_id)
        self.recorder = Recorder(store=store, inbox=self.inbox, meter=ContextMeter(*config.audio_tokens_per_second))
        self.recorder.speaking(provider.name, model)
        self.connections = ConnectionManager(
            session_id=session_id, provider=provider, config=config, inbox=self.inbox, clock=clock
        )
        self.conversation = Conversation(
            audience=self.audience, recorder=self.recorder, connections=self.connections, objectives=lesson.objectives
        )
        self.deadlines = Deadlines(config, clock)
        waits = patience_for(lesson.level, lesson.patience)
        policy = turntaking.TurnPolicy.for_patience(waits, stuck_after_ms=waits.help_after_ms)
        self.hearing = Hearing(policy=policy, inbox=self.inbox, vad=vad, model=turn_model)
        self._helps = 0  # help offered since the student last said something
        self.switches = SwitchPlanner(refresh_on_summary=config.refresh_on_summary)
        self._taking_over = False  # the next connection continues what a failed provider was doing
        self._end_reason: str | None = None
        self.restored = False
        self.state = "starting"
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
        match event:
            case AudioIn(pcm=pcm):
                # A page open with its microphone live is never idle (the time limit still ends the session).
                self.deadlines.activity()
                self.conversation.turns.student_audio(pcm)
                await self.connections.send_audio(pcm)
                self.hearing.student_audio(pcm)  # after the send: a turn it starts finds this audio there
            case TextIn(text=text):
                self.deadlines.activity()
                self._helps = 0
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
                    self.hearing.microphone_off()  # a turn under way ends (posted: the app's turns end there)
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
            await self._finish(HANDOFF, failed=False)
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
            case (
                turntaking.SpeechStarted()
                | turntaking.PauseHeard()
                | turntaking.StillThinking()
                | turntaking.SpeechResumed()
                | turntaking.TurnEnded()
                | turntaking.SoundStarted()
                | turntaking.Interruption()
                | turntaking.SoundIgnored()
                | turntaking.Stuck()
            ):
                await self._turn_event(item)
            case LessonComplete():
                # The provider says so after the TurnComplete of its closing line, which the Conversation has
                # recorded by now: ending here (_finish waits for the writes) keeps that line whole.
                self._end_reason = self._end_reason or COMPLETED
            case _:  # the provider's own events
                if isinstance(item, AudioOut):
                    self.hearing.tutor_audio(item.pcm, self.provider.output_rate)
                if self.conversation.provider_event(item):
                    self.deadlines.activity()

    async def _turn_event(self, event: turntaking.TurnEvent) -> None:
        """What the app heard of the student (tutor/turntaking): the page's cue and the tutor's volume always;
        the turn's start and end for a provider whose turns the app decides (the others hear them themselves,
        and say so with their own events)."""
        app_turns = self.provider.app_turns
        match event:
            case turntaking.SpeechStarted():
                self._helps = 0
                if app_turns:
                    self.conversation.provider_event(SpeechStarted())  # the student's turn keeps its place
                    await self.connections.activity_start(interrupting=False)
            case turntaking.Interruption():
                self._helps = 0
                self.hearing.tutor_stopped()
                self.audience.emit(Ducking(on=False))
                if app_turns:  # the audio stops now, not when the service has heard it
                    self.conversation.provider_event(Interrupted())
                    self.conversation.provider_event(SpeechStarted())
                    await self.connections.activity_start(interrupting=True)
            case turntaking.TurnEnded():
                self.audience.emit(Listening("done"))
                if app_turns:
                    await self.connections.activity_end()
            case turntaking.StillThinking(ends_after_ms=ends_after_ms):
                self.audience.emit(Listening("thinking", ends_after_ms))
            case turntaking.SpeechResumed():
                self.audience.emit(Listening("speaking"))
            case turntaking.SoundStarted():
                self.audience.emit(Ducking(on=True))
            case turntaking.SoundIgnored():
                self.audience.emit(Ducking(on=False))
            case turntaking.Stuck() if self._helps < HELPS and self.conversation.turns.quiet:
                self._helps += 1
                self.audience.emit(HelpOffered(count=self._helps))
                await self.connections.nudge(persona.help_cue(self.lesson, self._helps))

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

    async def _finish(self, reason: str, *, failed: bool) -> None:
        self._set_state("ending")
        await self.hearing.close()
        await self.connections.close()
        self._record_what_is_left()
        self.conversation.close_open_turns()
        try:
            await self.recorder.stop()
            if reason != HANDOFF:
                await self.store.end(reason, failed=failed)
        finally:
            self.state = "ended"
            self.audience.emit(Ended(reason=reason))
            await self.audience.close()
            self.done.set()
