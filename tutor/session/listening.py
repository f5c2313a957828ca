"""What a session does with what it hears of the student (hearing.py's events, which the runner dispatches here):
the page's cue and the tutor's volume always; the turn's start and end for a provider whose turns the app decides
(the others hear them themselves and say so with their own events); and help for a student who stays silent after
the tutor's turn, at most `HELPS` times until they say something."""

from typing import get_args

from .. import persona, turntaking
from ..brief import LessonBrief
from ..events import Ducking, HelpOffered, Interrupted, Listening, SpeechStarted
from .audience import Audience
from .connections import ConnectionManager
from .conversation import Conversation
from .hearing import Hearing

HELPS = 2
TURN_EVENTS = get_args(turntaking.TurnEvent)


class TurnTaking:
    def __init__(
        self,
        *,
        hearing: Hearing,
        audience: Audience,
        conversation: Conversation,
        connections: ConnectionManager,
        lesson: LessonBrief,
    ) -> None:
        self.hearing, self.audience, self.conversation = hearing, audience, conversation
        self.connections, self.lesson = connections, lesson
        self._helps = 0  # help offered since the student last said something

    def student_typed(self) -> None:
        self._helps = 0

    async def heard(self, event: turntaking.TurnEvent, *, app_turns: bool) -> None:
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
