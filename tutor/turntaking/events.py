"""What turn-taking tells its host about a student's audio: frozen dataclasses, dispatched with `match`.

Every event carries `at_ms`, the position in the student's audio (milliseconds fed so far) at which it
was decided, so a host or a benchmark can tell how late a decision came without a clock.
"""

from dataclasses import dataclass, field
from typing import Literal

EndReason = Literal["complete", "patience", "too_long", "microphone_off", "answer_heard"]


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    """The student began a turn while the tutor was silent."""

    at_ms: int


@dataclass(frozen=True, slots=True)
class PauseHeard:
    """The turn model's verdict on a pause: how likely the utterance so far is finished."""

    at_ms: int
    silence_ms: int  # the silence the model heard at the end of the utterance
    probability: float
    complete: bool


@dataclass(frozen=True, slots=True)
class StillThinking:
    """An unfinished utterance and a pause that goes on: the moment for the "Take your time…" cue.

    The turn stays open until `ends_after_ms` of silence (the level's patience) or until speech resumes."""

    at_ms: int
    ends_after_ms: int


@dataclass(frozen=True, slots=True)
class SpeechResumed:
    """The student goes on after a `StillThinking` cue: hide it."""

    at_ms: int


@dataclass(frozen=True, slots=True)
class TurnEnded:
    """The student's turn is over; `pcm` is what they said (PCM16 16 kHz, from shortly before the start)."""

    at_ms: int
    reason: EndReason
    pcm: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class SoundStarted:
    """Something voiced began while the tutor speaks; not yet known to be an interruption.

    A host may lower the tutor's volume here, and must not stop it: most such sounds are "mm" or a cough."""

    at_ms: int


@dataclass(frozen=True, slots=True)
class Interruption:
    """Real speech while the tutor speaks: stop its audio now. The student's turn has begun."""

    at_ms: int
    started_ms: int  # where the speech began: the delay to decide is at_ms - started_ms


@dataclass(frozen=True, slots=True)
class SoundIgnored:
    """A short sound while the tutor speaks (a backchannel, a filler, a cough): the tutor goes on."""

    at_ms: int
    duration_ms: int


@dataclass(frozen=True, slots=True)
class Stuck:
    """The tutor finished and the student has said nothing for `silence_ms`: the moment to offer help.

    Sent each time another stretch of the same silence passes (`count` 1, 2, …) until the student speaks."""

    at_ms: int
    silence_ms: int
    count: int


TurnEvent = (
    SpeechStarted
    | PauseHeard
    | StillThinking
    | SpeechResumed
    | TurnEnded
    | SoundStarted
    | Interruption
    | SoundIgnored
    | Stuck
)
