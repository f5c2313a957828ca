"""What the student has given the tutor and is still owed an answer for: the ledger a connection switch
replays from, so that no switch of any kind loses, doubles or reorders what the student said.

A finished student turn (spoken or typed) is owed until a tutor turn that began after it completes;
a picture until a tutor turn at or after the place it was shown. Student speech not yet transcribed is
kept as audio (the next connection hears it again); speech already transcribed is replayed as its text,
so it is never transcribed twice.
"""

from collections import deque
from dataclasses import dataclass

from ..audio import INPUT_RATE, duration_ms
from .store import FinishedTurn


@dataclass(frozen=True, slots=True)
class OwedTurn:
    """A finished student turn: typed, or spoken and transcribed."""

    turn: FinishedTurn
    spoken: bool


@dataclass(frozen=True, slots=True)
class OwedPicture:
    data: bytes
    mime: str
    position: int  # the number the next turn had when it was shown


Owed = OwedTurn | OwedPicture


class AudioTail:
    """The newest student audio up to `limit_ms`, oldest dropped first."""

    def __init__(self, limit_ms: float) -> None:
        self._limit_ms = limit_ms
        self._chunks: deque[bytes] = deque()
        self.ms = 0.0

    def append(self, pcm: bytes) -> None:
        self._chunks.append(pcm)
        self.ms += duration_ms(pcm, INPUT_RATE)
        while self.ms > self._limit_ms and self._chunks:
            self.ms -= duration_ms(self._chunks.popleft(), INPUT_RATE)
        self.ms = max(0.0, self.ms)

    def take(self) -> list[bytes]:
        chunks, self._chunks, self.ms = list(self._chunks), deque(), 0.0
        return chunks

    def clear(self) -> None:
        self._chunks.clear()
        self.ms = 0.0

    def __bool__(self) -> bool:
        return bool(self._chunks)


class Ledger:
    """Delivered inputs not yet answered, in the order given; each may be covered by a resumption handle
    the provider issued after it arrived (a resumed session of a provider that keeps its input has it)."""

    def __init__(self) -> None:
        self._owed: list[Owed] = []
        self._covered: set[Owed] = set()

    def owe(self, item: Owed, *, covered: bool = False) -> None:
        self._owed.append(item)
        if covered:
            self._covered.add(item)

    def cover_all(self) -> None:
        """The provider issued a resumption handle: everything delivered so far is in the session it names."""
        self._covered.update(self._owed)

    def uncover_all(self) -> None:
        """No handle covers anything any more (a new provider): all of it is to be given again."""
        self._covered.clear()

    def answered_by(self, tutor_turn: int) -> None:
        """A tutor turn finished: it answered what came before it began."""
        self._owed = [item for item in self._owed if not _answered(item, tutor_turn)]
        self._covered.intersection_update(self._owed)

    @property
    def owed(self) -> tuple[Owed, ...]:
        return tuple(self._owed)

    def to_replay(self, *, resumed_with_input: bool) -> tuple[Owed, ...]:
        """What a new connection must be given again: all of it, unless it resumes a session that kept
        its input, which has what the handle covers."""
        if not resumed_with_input:
            return self.owed
        return tuple(item for item in self._owed if item not in self._covered)

    def owed_turns(self) -> set[int]:
        return {item.turn.index for item in self._owed if isinstance(item, OwedTurn)}

    def __bool__(self) -> bool:
        return bool(self._owed)


def _answered(item: Owed, tutor_turn: int) -> bool:
    match item:
        case OwedTurn(turn=turn):
            return turn.index < tutor_turn
        case OwedPicture(position=position):
            return position <= tutor_turn


def unanswered(turns: tuple[FinishedTurn, ...]) -> list[OwedTurn]:
    """The student turns a restored session still owes an answer to: those after the last tutor turn that
    finished uninterrupted (a server that stopped mid-reply keeps that reply as an interrupted turn)."""
    answered_through = max((t.index for t in turns if t.role == "tutor" and not t.interrupted), default=-1)
    return [
        OwedTurn(turn=t, spoken=t.audio_ms > 0)
        for t in sorted(turns, key=lambda t: t.index)
        if t.role == "student" and t.index > answered_through and t.text
    ]
