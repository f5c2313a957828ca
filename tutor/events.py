"""Typed values that move through a live session, dispatched with `match`.

Three families: what a provider emits (normalized across Gemini, OpenAI and the offline tutor),
what the browser sends in, and what the runner sends out to the browser. Each maps to one message of
browser protocol v1 (docs/protocol.md); tutor/protocol.py does the encoding. The notes the tutor takes
(`Note`) are one family inside the last: each names its protocol message type in `kind`, and is stored,
replayed and shown as a note, whatever its kind (docs/architecture.md, "A new kind of note").
"""

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

Speaker = Literal["student", "tutor"]
UsagePurpose = Literal["live", "transcription"]  # what a provider's usage paid for (UsageRecord.purpose)


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """Tokens of one provider exchange, by modality; cached tokens are a part of the input ones. A model billed
    by the duration of its audio (OpenAI's transcribers) reports `audio_seconds` instead."""

    text_in: int = 0
    audio_in: int = 0
    image_in: int = 0
    cached_in: int = 0
    text_out: int = 0
    audio_out: int = 0
    audio_seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.text_in + self.audio_in + self.image_in + self.text_out + self.audio_out


# ---- provider -> runner -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AudioOut:
    """Tutor speech: PCM16 little-endian mono at 24 kHz."""

    pcm: bytes


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    """The student started speaking: reserves the student's turn so late transcripts keep their place."""


@dataclass(frozen=True, slots=True)
class TranscriptDelta:
    """A fragment to append to the current turn of `role`."""

    role: Speaker
    text: str


@dataclass(frozen=True, slots=True)
class TranscriptFinal:
    """The whole text of the current turn of `role`; it replaces the fragments and closes a student turn."""

    role: Speaker
    text: str


@dataclass(frozen=True, slots=True)
class Interrupted:
    """The student barged in: tutor audio not yet played must be dropped now."""


@dataclass(frozen=True, slots=True)
class TurnComplete:
    """The tutor finished (or, after Interrupted, abandoned) its turn."""


@dataclass(frozen=True, slots=True)
class ToolCall:
    call_id: str
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens billed for the conversation (`live`, by the session's model) or for a part of it another model
    does (`transcription`: OpenAI bills the student's transcript separately, by its transcription model)."""

    tokens: TokenUsage
    model: str | None = None  # None: the session's live model
    purpose: UsagePurpose = "live"


@dataclass(frozen=True, slots=True)
class Resumable:
    """A handle with which a new connection resumes this provider session (Gemini)."""

    handle: str


@dataclass(frozen=True, slots=True)
class GoingAway:
    """The provider will close this connection in `time_left` seconds: reconnect before then."""

    time_left: float


@dataclass(frozen=True, slots=True)
class LessonComplete:
    """The tutor has finished the lesson: its closing line's turn is complete (the TurnComplete before this one),
    so the session may end. The offline tutor says it after its last step; the runner ends the session
    ("completed")."""


@dataclass(frozen=True, slots=True)
class ProviderError:
    """A failure of the provider connection; `retryable` says whether a new connection may help."""

    code: str
    message: str
    retryable: bool


ProviderEvent = (
    AudioOut
    | SpeechStarted
    | TranscriptDelta
    | TranscriptFinal
    | Interrupted
    | TurnComplete
    | ToolCall
    | Usage
    | Resumable
    | GoingAway
    | LessonComplete
    | ProviderError
)


# ---- browser -> runner --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AudioIn:
    """Student microphone: PCM16 little-endian mono at 16 kHz."""

    pcm: bytes


@dataclass(frozen=True, slots=True)
class TextIn:
    text: str


@dataclass(frozen=True, slots=True)
class ImageIn:
    """A picture the student chose to show: an upload or a snapshot, answered as a turn of its own."""

    data: bytes
    mime: str


@dataclass(frozen=True, slots=True)
class VideoFrameIn:
    """A frame of the camera or screen the student is sharing: what the tutor may see, not a question."""

    data: bytes
    mime: str


@dataclass(frozen=True, slots=True)
class MicChanged:
    on: bool


@dataclass(frozen=True, slots=True)
class PlaybackReport:
    """How much of tutor turn `turn` the student heard before playback was cut."""

    turn: int
    played_ms: int


@dataclass(frozen=True, slots=True)
class EndRequested:
    pass


ClientInput = AudioIn | TextIn | ImageIn | VideoFrameIn | MicChanged | PlaybackReport | EndRequested


# ---- runner -> browser --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ready:
    session: int
    provider: str
    input_rate: int
    output_rate: int
    max_seconds: int
    elapsed_seconds: int


@dataclass(frozen=True, slots=True)
class TranscriptUpdate:
    """The text so far of turn `turn` (cumulative, not a fragment); `final` once the turn is over."""

    role: Speaker
    turn: int
    text: str
    final: bool


@dataclass(frozen=True, slots=True)
class TurnCompleted:
    turn: int


# ---- the notes the tutor takes (one family: `Note`) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class CorrectionNoted:
    """A mistake the student made on turn `turn`, and what it should have been."""

    kind: ClassVar[str] = "correction"
    original: str
    corrected: str
    explanation: str
    category: str
    turn: int | None
    rule: str = ""  # why: one named line a mistake ("Conjugation of «vouloir»: …"), in the student's language


@dataclass(frozen=True, slots=True)
class VocabularyNoted:
    """A lesson word the student used (or learned) on turn `turn`; a later note on the same word supersedes it."""

    kind: ClassVar[str] = "vocabulary"
    word: str
    status: Literal["used", "learned"]
    turn: int | None = None


@dataclass(frozen=True, slots=True)
class PronunciationNoted:
    """A word the student said unclearly: how it sounded and a tip. `estimate` when a recognizer guessed it
    from its alignment (the offline tutor) rather than a model hearing it."""

    kind: ClassVar[str] = "pronunciation"
    word: str
    heard_as: str
    tip: str
    estimate: bool
    turn: int | None


@dataclass(frozen=True, slots=True)
class ObjectiveMet:
    """One of the lesson's objectives, in the lesson's own wording, is met."""

    kind: ClassVar[str] = "objective"
    objective: str


Note = CorrectionNoted | VocabularyNoted | PronunciationNoted | ObjectiveMet
NOTE_TYPES: tuple[type, ...] = (CorrectionNoted, VocabularyNoted, PronunciationNoted, ObjectiveMet)


# ---- runner -> browser, continued ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusChanged:
    """`switching`: a planned change of connection (the student may go on: input is queued);
    `reconnecting`: the connection dropped and is being restored."""

    state: Literal["live", "reconnecting", "switching", "failover", "ending"]


@dataclass(frozen=True, slots=True)
class SavingChanged:
    """`delayed`: the database has been away for a while, what is said is kept and written when it is back;
    `full`: so much waits that the session takes no new input until it is written; `saved`: written again."""

    state: Literal["delayed", "full", "saved"]


@dataclass(frozen=True, slots=True)
class Listening:
    """What the app hears of the student's turn, for the page's cue (tutor/turntaking): `thinking`, an unfinished
    answer has paused (show "Take your time…"; the turn ends after `ends_after_ms` of silence); `speaking`, they
    went on; `done`, their turn is over."""

    state: Literal["thinking", "speaking", "done"]
    ends_after_ms: int = 0


@dataclass(frozen=True, slots=True)
class Ducking:
    """A sound while the tutor speaks, not yet known to be an interruption: lower its volume (`on`), or restore
    it (a backchannel, a filler, a cough: the tutor goes on). A real interruption comes as `Interrupted`."""

    on: bool


@dataclass(frozen=True, slots=True)
class HelpOffered:
    """The student said nothing for the level's patience after the tutor's turn: the tutor offers help (a rephrase,
    a hint, the first word) in the lesson's language, `count` 1 then 2; what it says follows as its turn."""

    count: int


@dataclass(frozen=True, slots=True)
class SessionError:
    code: str
    message: str
    fatal: bool


@dataclass(frozen=True, slots=True)
class Ended:
    reason: str


ClientEvent = (
    Ready
    | AudioOut
    | TranscriptUpdate
    | Interrupted
    | TurnCompleted
    | Note
    | StatusChanged
    | SavingChanged
    | Listening
    | Ducking
    | HelpOffered
    | SessionError
    | Ended
)
