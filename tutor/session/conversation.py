"""The conversation of one live session as it happens: the provider's events and the student's typed turns
become numbered turns and notes, shown to the student (Audience) and recorded (Recorder), and the connection
is told what they mean for its ledger: a student turn transcribed, a question answered, a tool call answered."""

from ..events import (
    AudioOut,
    Interrupted,
    ProviderEvent,
    SpeechStarted,
    ToolCall,
    TranscriptDelta,
    TranscriptFinal,
    TranscriptUpdate,
    TurnComplete,
    TurnCompleted,
    Usage,
)
from ..tools import interpret
from .audience import Audience
from .connections import ConnectionManager
from .recorder import Recorder
from .store import FinishedTurn
from .turns import TurnTracker


class Conversation:
    def __init__(
        self, *, audience: Audience, recorder: Recorder, connections: ConnectionManager, objectives: tuple[str, ...]
    ) -> None:
        self.turns = TurnTracker()
        self._audience = audience
        self._recorder = recorder
        self._connections = connections
        self._objectives = objectives
        self._last_interrupted_turn: int | None = None

    def typed(self, text: str) -> FinishedTurn:
        """A typed message is a whole student turn, shown at once; it is recorded once a connection takes it."""
        update, finished = self.turns.student_typed(text)
        self._audience.emit(update)
        return finished

    def heard(self, turn: int, played_ms: int) -> bool:
        """The browser reports how much of tutor turn `turn` it played before the student cut it off: the turn
        keeps what was heard. True if it is the turn the student interrupted (the provider is to be told too)."""
        if turn != self._last_interrupted_turn:
            return False
        if (cut := self.turns.heard(turn, played_ms)) is not None:
            self._audience.emit(cut[0])
            self._recorder.turn_again(cut[1])  # its words were counted against the context already
        return True

    def provider_event(self, event: ProviderEvent) -> bool:
        """Handle one event of the provider's; True if it shows the student or the tutor engaged (not idle)."""
        match event:
            case AudioOut(pcm=pcm):
                self.turns.tutor_audio(pcm)
                self._audience.emit(event)
                return False  # a tutor speaking to nobody does not keep the session alive
            case SpeechStarted():
                if finished := self.turns.speech_started():
                    self._audience.emit(TranscriptUpdate(finished.role, finished.index, finished.text, final=True))
                    self._student_finished(finished)
            case TranscriptDelta(role="student", text=text):
                self._audience.emit(self.turns.student_delta(text))
            case TranscriptDelta(role="tutor", text=text):
                self._audience.emit(self.turns.tutor_delta(text))
            case TranscriptFinal(role="student", text=text):
                update, finished = self.turns.student_final(text)
                self._audience.emit(update)
                self._student_finished(finished)
            case TranscriptFinal(role="tutor", text=text):
                self._audience.emit(self.turns.tutor_final(text))
            case Interrupted():
                turn = self.turns.interrupted()
                if turn is not None and turn == self._last_interrupted_turn:
                    return True  # said already: the app stopped the tutor, then the service said so too
                self._last_interrupted_turn = turn
                self._audience.flush_audio()
                self._audience.emit(event)
            case TurnComplete():
                if completed := self.turns.tutor_complete():
                    update, finished = completed
                    self._audience.emit(update)
                    self._audience.emit(TurnCompleted(turn=finished.index))
                    self._recorder.turn(finished)
                    self._connections.answered(finished.index)
            case ToolCall():
                self._tool_call(event)
                return False
            case Usage(tokens=tokens, model=model, purpose=purpose):
                self._recorder.usage(tokens, model=model, purpose=purpose)
                return False
            case _:
                return False
        return True

    def resume(self, *, next_turn: int) -> None:
        """A session taken up where the store left it: numbering goes on from `next_turn`."""
        self.turns = TurnTracker(next_index=next_turn)

    def close_open_turns(self) -> None:
        """Keep what was being said as it stands (a switch of connection, or the end of the session)."""
        for update, finished in self.turns.close_all():
            self._audience.emit(update)
            if finished.role == "tutor":
                self._audience.emit(TurnCompleted(turn=finished.index))
            else:
                self._connections.transcribed(finished)
            self._recorder.turn(finished)

    def _student_finished(self, turn: FinishedTurn) -> None:
        self._connections.transcribed(turn)
        self._recorder.turn(turn)

    def _tool_call(self, call: ToolCall) -> None:
        outcome = interpret(call, student_turn=self.turns.last_student_index, objectives=self._objectives)
        if outcome.note is not None:
            self._audience.emit(outcome.note)
            self._recorder.note(outcome.note)
        self._connections.answer_tool(call, outcome.result)
