"""Turn bookkeeping: numbers each turn, gathers its text and audio, and says when it is finished.

Student and tutor turns share one sequence. A student turn takes its number when the student starts
speaking, so a transcript that arrives late (OpenAI transcribes asynchronously, Gemini's can trail its
answer) keeps its place. A tutor turn the student cut off keeps the words they heard.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..audio import INPUT_RATE, OUTPUT_RATE, duration_ms
from ..events import Speaker, TranscriptUpdate
from .store import FinishedTurn

WORD_END = re.compile(r"\S(?=\s|$)")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def heard_text(text: str, played_ms: float, audio_ms: float) -> str:
    """What the student heard of a tutor line whose audio stopped after `played_ms` of `audio_ms`: the same share
    of its characters (speech runs at a fairly even pace of characters), cut at the nearest end of a word. The
    provider's transcript comes with no word timings; OpenAI cuts its own copy of it on `conversation.item.truncate`
    (docs/providers/openai.md, "Interruption and truncation")."""
    if played_ms >= audio_ms or not text:
        return text
    position = len(text) * max(0.0, played_ms) / audio_ms
    ends = [0, *(match.end() for match in WORD_END.finditer(text))]
    return text[: min(ends, key=lambda end: abs(end - position))]


@dataclass
class _OpenTurn:
    index: int
    role: Speaker
    started_at: dt.datetime
    text: str = ""
    audio_ms: float = 0.0
    interrupted: bool = False
    heard_ms: float | None = None  # a tutor turn cut off in the browser: how much of its audio was played

    def finish(self, now: dt.datetime) -> FinishedTurn:
        finished = FinishedTurn(
            index=self.index,
            role=self.role,
            text=self.text.strip(),
            started_at=self.started_at,
            ended_at=now,
            audio_ms=round(self.audio_ms),
            interrupted=self.interrupted,
        )
        return finished if self.heard_ms is None else _heard(finished, self.heard_ms)

    def update(self, final: bool = False) -> TranscriptUpdate:
        return TranscriptUpdate(role=self.role, turn=self.index, text=self.text.strip(), final=final)


class TurnTracker:
    def __init__(self, next_index: int = 0, now: Callable[[], dt.datetime] = _utcnow) -> None:
        self._next = next_index
        self._now = now
        self._student: _OpenTurn | None = None
        self._tutor: _OpenTurn | None = None
        self.last_student_index: int | None = None
        self.last_tutor_index: int | None = None
        self._last_tutor: FinishedTurn | None = None  # the latest finished tutor turn, which may still be playing
        self.last_finished_index: int = next_index - 1

    @property
    def next_index(self) -> int:
        """The number the next turn will get."""
        return self._next

    @property
    def quiet(self) -> bool:
        """Nobody is mid-turn: a moment to switch connections without cutting anyone off."""
        return self._tutor is None and self._student is None

    def _open(self, role: Speaker) -> _OpenTurn:
        turn = _OpenTurn(index=self._next, role=role, started_at=self._now())
        self._next += 1
        if role == "student":
            self.last_student_index = turn.index
        else:
            self.last_tutor_index = turn.index
        return turn

    # student side

    def speech_started(self) -> FinishedTurn | None:
        """Reserve a student turn; a previous one still open without a transcript is closed first."""
        finished = self._close_student() if self._student and self._student.text else None
        if self._student is None:
            self._student = self._open("student")
        return finished

    def student_delta(self, text: str) -> TranscriptUpdate:
        if self._student is None:
            self._student = self._open("student")
        self._student.text += text
        return self._student.update()

    def student_audio(self, pcm16_16k: bytes) -> None:
        """Counted while the student's turn is the newest: once the tutor answers it (its transcript may still
        be on its way), the microphone hears the tutor's reply, not more of the student's turn."""
        if self._student is not None and (self._tutor is None or self._tutor.index < self._student.index):
            self._student.audio_ms += duration_ms(pcm16_16k, INPUT_RATE)

    def student_final(self, text: str) -> tuple[TranscriptUpdate, FinishedTurn]:
        if self._student is None:
            self._student = self._open("student")
        if text.strip():
            self._student.text = text
        update = self._student.update(final=True)
        return update, self._close_student()

    def student_typed(self, text: str) -> tuple[TranscriptUpdate, FinishedTurn]:
        """A typed message is a whole student turn of its own."""
        if self._student is not None and self._student.text:
            self._close_student()
        self._student = self._student or self._open("student")
        return self.student_final(text)

    def _close_student(self) -> FinishedTurn:
        turn, self._student = self._student, None
        finished = turn.finish(self._now())
        self.last_finished_index = max(self.last_finished_index, finished.index)
        return finished

    # tutor side

    def tutor_audio(self, pcm16_24k: bytes) -> None:
        self._tutor_turn().audio_ms += duration_ms(pcm16_24k, OUTPUT_RATE)

    def tutor_delta(self, text: str) -> TranscriptUpdate:
        turn = self._tutor_turn()
        turn.text += text
        return turn.update()

    def tutor_final(self, text: str) -> TranscriptUpdate:
        turn = self._tutor_turn()
        turn.text = text
        return turn.update()

    def interrupted(self) -> int | None:
        """The tutor turn the student cut off: the open one, else the last one, whose audio may still
        have been playing in the browser when the student spoke."""
        if self._tutor is None:
            return self.last_tutor_index
        self._tutor.interrupted = True
        return self._tutor.index

    def tutor_complete(self) -> tuple[TranscriptUpdate, FinishedTurn] | None:
        if self._tutor is None:
            return None
        turn, self._tutor = self._tutor, None
        finished = self._last_tutor = turn.finish(self._now())
        self.last_finished_index = max(self.last_finished_index, finished.index)
        return _final(finished), finished

    def heard(self, index: int, played_ms: int) -> tuple[TranscriptUpdate, FinishedTurn] | None:
        """The browser cut tutor turn `index` after playing `played_ms` of it: the turn keeps what was heard,
        marked interrupted. An open turn is cut when it finishes; a finished one (its audio was still playing)
        is returned cut, to be shown and stored again. Nothing at 0 ms: the provider keeps the whole line then
        (OpenAI refuses to truncate at 0), and so does the turn."""
        if played_ms <= 0:
            return None
        if self._tutor is not None and self._tutor.index == index:
            self._tutor.heard_ms, self._tutor.interrupted = played_ms, True
            return None
        turn = self._last_tutor
        if turn is None or turn.index != index:
            return None
        cut = _heard(turn, played_ms)
        if cut == turn:
            return None
        self._last_tutor = cut
        return _final(cut), cut

    def _tutor_turn(self) -> _OpenTurn:
        if self._tutor is None:
            self._tutor = self._open("tutor")
        return self._tutor

    def close_all(self) -> list[tuple[TranscriptUpdate, FinishedTurn]]:
        """At the end or on a dropped connection: whatever is open is finished as it stands."""
        closed = []
        if self._student is not None and (self._student.text or self._student.audio_ms):
            update = self._student.update(final=True)
            closed.append((update, self._close_student()))
        self._student = None
        if self._tutor is not None:
            self._tutor.interrupted = True
            closed.append(self.tutor_complete())
        return sorted(closed, key=lambda pair: pair[1].index)


def _heard(turn: FinishedTurn, played_ms: float) -> FinishedTurn:
    if played_ms >= turn.audio_ms:  # all of it was heard
        return turn
    return replace(
        turn, text=heard_text(turn.text, played_ms, turn.audio_ms), audio_ms=round(played_ms), interrupted=True
    )


def _final(turn: FinishedTurn) -> TranscriptUpdate:
    return TranscriptUpdate(role=turn.role, turn=turn.index, text=turn.text, final=True)
