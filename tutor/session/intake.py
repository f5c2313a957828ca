"""What the student's browser sends, taken in (the runner's first job, its input half): audio to the service and to
the app's own hearing of the turn, typed turns, pictures, camera frames, the microphone switched off, what the page
played, the end asked for. Nothing is taken in while the writes waiting are at their limit (saving.py)."""

from ..events import (
    AudioIn,
    ClientInput,
    EndRequested,
    ImageIn,
    MicChanged,
    PlaybackReport,
    TextIn,
    VideoFrameIn,
)
from . import signals
from .connections import ConnectionManager
from .conversation import Conversation
from .deadlines import Deadlines
from .listening import TurnTaking
from .recorder import Recorder
from .saving import REFUSED_WHEN_FULL
from .signals import Inbox


class Intake:
    def __init__(
        self,
        *,
        inbox: Inbox,
        deadlines: Deadlines,
        conversation: Conversation,
        connections: ConnectionManager,
        recorder: Recorder,
        turn_taking: TurnTaking,
    ) -> None:
        self.inbox, self.deadlines, self.conversation = inbox, deadlines, conversation
        self.connections, self.recorder, self.turn_taking = connections, recorder, turn_taking

    async def take(self, event: ClientInput) -> None:
        if self.recorder.persister.full and isinstance(event, REFUSED_WHEN_FULL):
            return  # the student was told: saving full
        match event:
            case AudioIn(pcm=pcm):
                # A page open with its microphone live is never idle (the time limit still ends the session).
                self.deadlines.activity()
                self.conversation.turns.student_audio(pcm)
                await self.connections.send_audio(pcm)
                self.turn_taking.hearing.student_audio(pcm)  # after the send: a turn it starts finds this audio there
            case TextIn(text=text):
                self.deadlines.activity()
                self.turn_taking.student_typed()
                await self.connections.send_turn(self.conversation.typed(text))  # recorded once taken (Delivered)
            case ImageIn(data=data, mime=mime):
                self.deadlines.activity()
                await self.connections.send_picture(data, mime, position=self.conversation.turns.next_index)
            case VideoFrameIn(data=data, mime=mime):
                # Not activity: a camera left on in a forgotten tab must not keep a silent session (and its
                # bill) running until the time limit.
                if await self.connections.send_video_frame(data, mime):
                    self.recorder.video_frame(self.connections.config.video_frame_tokens)
            case MicChanged(on=on):
                self.deadlines.activity()
                if not on:
                    self.turn_taking.hearing.microphone_off()  # a turn under way ends (the app's turns end there)
                    await self.connections.end_audio_stream()
            case PlaybackReport(turn=turn, played_ms=played_ms):
                if self.conversation.heard(turn, played_ms):
                    await self.connections.playback_heard(max(0, played_ms))
            case EndRequested():
                self.inbox.post(signals.EndDue("student"))
