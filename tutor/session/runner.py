"""One live session, run by reading one inbox (signals.py): the provider's events and what the session's parts
tell it, each dispatched on its type, one at a time, in the order they happened. The runner's jobs:

1. take the student's browser on and off (`attach`: ready, the conversation so far) and its input (Intake, intake.py);
2. dispatch what reaches the inbox to the part whose business it is;
3. end the session when it is asked to or a clock runs out (Deadlines, deadlines.py);
4. replace the connection when a switch is due and the moment has come (SwitchPlanner, switching.py), or at
   once when it is lost;
5. fail over to the next provider when one cannot serve (Failover, failover.py);
6. brief each new connection: the persona, the summaries, the recent turns, what is owed (Briefing, briefing.py);
7. finish: close what is open, write everything, say why.

Its parts never call back into it: the ConnectionManager (connections.py) holds the provider connection and
replays to a new one what it has not heard; the Conversation (conversation.py) turns the provider's events into
turns and notes; the Recorder (recorder.py) writes them and meters the context; the Audience (audience.py) shows
them to the browser, its replay and a teacher's view; TurnTaking (listening.py) acts on what Hearing (hearing.py)
hears of the student; SavingStatus (saving.py) tells the student when the database keeps their words waiting.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace

from .. import turntaking
from ..audio import INPUT_RATE
from ..brief import LearnerProfile, LessonBrief
from ..config import RunnerConfig
from ..context import ContextMeter
from ..events import (
    AudioOut,
    ClientEvent,
    ClientInput,
    Ended,
    LessonComplete,
    ProviderError,
    Ready,
    SessionError,
    StatusChanged,
)
from ..patience import patience_for
from ..providers.base import LiveProvider
from ..turntaking.vad import Vad
from . import signals
from .audience import Audience
from .briefing import Briefing
from .connections import ConnectFailed, ConnectionManager
from .conversation import Conversation
from .deadlines import Deadlines
from .errors import student_message
from .failover import Failover, ProviderHealth, TutorChoice
from .hearing import Hearing
from .inputs import unanswered
from .intake import Intake
from .journal import Journal
from .listening import TURN_EVENTS, TurnTaking
from .outbox import Outbox
from .recorder import Recorder
from .saving import SavingStatus
from .signals import Inbox, RunnerInput
from .store import SessionStore, replay
from .switching import SwitchPlanner

log = logging.getLogger(__name__)

HANDOFF = "handoff"  # the session goes on in another process: this one writes what it has, ends nothing"
COMPLETED = "completed"  # the tutor ended the lesson after its closing line (a LessonComplete)
CONNECTION_STATES = ("live", "reconnecting", "switching", "failover")  # told to a browser that (re)attaches
SHOWN_STATES = (*CONNECTION_STATES, "ending")
# How long a stopping process waits for writes the database does not take: the journal keeps the rest
# (live/journal.py) and the next start writes them.
STOPPING_WRITES_WAIT = 5.0


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
        vad: Vad | None = None,
        turn_model: turntaking.TurnModel | None = None,
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
        waits = patience_for(lesson.level, lesson.patience)
        policy = turntaking.TurnPolicy.for_patience(waits, stuck_after_ms=waits.help_after_ms)
        self.turn_taking = TurnTaking(
            hearing=Hearing(policy=policy, inbox=self.inbox, vad=vad, model=turn_model), audience=self.audience,
            conversation=self.conversation, connections=self.connections, lesson=lesson,
        )  # fmt: skip
        self.hearing = self.turn_taking.hearing
        self.intake = Intake(
            inbox=self.inbox, deadlines=self.deadlines, conversation=self.conversation, connections=self.connections,
            recorder=self.recorder, turn_taking=self.turn_taking,
        )  # fmt: skip
        self.switches = SwitchPlanner(refresh_on_summary=config.refresh_on_summary)
        self.briefing = Briefing(
            store=store, lesson=lesson, learner=learner, conversation=self.conversation,
            connections=self.connections, recorder=self.recorder, switches=self.switches, clock=clock,
        )  # fmt: skip
        self._taking_over = False  # the next connection continues what a failed provider was doing
        self._end_reason: str | None = None
        self.restored = False
        self.state = "starting"
        self.saving = SavingStatus(self.audience)
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
        return self.audience.attach(ready, *now, *self.saving.on_attach())

    def detach(self) -> None:
        """The browser went away; the session waits `reconnect_grace` seconds for it to come back."""
        self.audience.detach()
        self.deadlines.detached()
        self.inbox.post(signals.BrowserLeft())

    def summary_ready(self, through_turn: int) -> None:
        self.inbox.post(signals.SummaryReady(through_turn))

    def request_end(self, reason: str) -> None:
        self.inbox.post(signals.EndDue(reason))

    async def handle(self, event: ClientInput) -> None:
        await self.intake.take(event)

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
                self.saving.changed(item)
            case _ if isinstance(item, TURN_EVENTS):
                await self.turn_taking.heard(item, app_turns=self.provider.app_turns)
            case LessonComplete():
                # The provider says so after the TurnComplete of its closing line, which the Conversation has
                # recorded by now: ending here (_finish waits for the writes) keeps that line whole.
                self._end_reason = self._end_reason or COMPLETED
            case _:  # the provider's own events
                if isinstance(item, AudioOut):
                    self.hearing.tutor_audio(item.pcm, self.provider.output_rate)
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
            setup = await self.briefing.setup(
                model=self.model, voice=self.voice, config=self.config, takes_over=self._taking_over
            )
            try:
                await self.connections.open(setup)
            except ConnectFailed as failure:
                code = "provider_unavailable" if failure.retryable else "provider_refused"
                await self._fail_over(_Fatal(code, f"{failure.code}: {failure.message}"))
                continue
            self.briefing.opened(setup)
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

    # ---- state and ending ------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            if state in SHOWN_STATES:
                self.audience.emit(StatusChanged(state))

    async def _finish(self, reason: str, *, failed: bool, within: float | None = None) -> None:
        """Write everything, the end last: during a database outage this waits for it to come back (the
        student is told saving is delayed), unless the process is stopping (`within`)."""
        self._set_state("ending")
        await self.hearing.close()
        await self.connections.close()
        self.recorder.left_in(self.inbox)
        self.conversation.close_open_turns()
        try:
            if reason != HANDOFF:
                self.recorder.end(reason, failed=failed)
            await self.saving.while_writing(self.recorder.stop(within=within), self.inbox)
        finally:
            self.state = "ended"
            self.audience.emit(Ended(reason=reason))
            await self.audience.close()
            self.done.set()
