"""What a new connection is told, and what it holds once opened (the runner's sixth job). A session with nothing
said yet starts from the lesson alone; otherwise from the summaries and the recent turns, less the turns the
connection manager will replay to it. Once open, a fresh connection holds the instructions and what is replayed:
the context meter starts again from there and the summaries it was briefed with are taken in; a connection
resumed with a handle holds the whole conversation as before, so the meter goes on counting it."""

from collections.abc import Callable
from dataclasses import replace

from .. import persona
from ..brief import LearnerProfile, LessonBrief, RestoredContext, SessionSetup
from ..config import RunnerConfig
from ..context import ContextMeter
from .connections import ConnectionManager
from .conversation import Conversation
from .recorder import Recorder
from .store import SessionStore
from .switching import SwitchPlanner


class Briefing:
    def __init__(
        self,
        *,
        store: SessionStore,
        lesson: LessonBrief,
        learner: LearnerProfile,
        conversation: Conversation,
        connections: ConnectionManager,
        recorder: Recorder,
        switches: SwitchPlanner,
        clock: Callable[[], float],
    ) -> None:
        self.store, self.lesson, self.learner = store, lesson, learner
        self.conversation, self.connections, self.recorder = conversation, connections, recorder
        self.switches, self._clock = switches, clock

    async def setup(self, *, model: str, voice: str, config: RunnerConfig, takes_over: bool) -> SessionSetup:
        owed = self.connections.ledger.owed_turns()
        context = RestoredContext()
        if self.conversation.turns.last_finished_index >= 0:
            context = await self.store.latest_context()
            context = replace(context, recent=tuple(turn for turn in context.recent if turn.index not in owed))
        setup = persona.build_setup(
            lesson=self.lesson,
            learner=self.learner,
            model=model,
            voice=voice,
            context=context,
            resumption_handle=self.connections.handle,
            max_memory_chars=config.max_memory_chars,
        )
        return replace(setup, takes_over=takes_over, answer_owed=bool(owed))

    def opened(self, setup: SessionSetup) -> None:
        through = setup.context.summary_through_turn
        if self.connections.resumed:
            self.switches.resumed(through, now=self._clock())
            return
        self.switches.started_fresh(through)
        self.recorder.meter.restart(ContextMeter.text_tokens(setup.instructions))
