"""What a provider connection is briefed with: the lesson, the learner, the conversation so far, the tools
and the instructions built from them (SessionSetup)."""

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class VocabularyEntry:
    term: str
    translation: str = ""
    example: str = ""


@dataclass(frozen=True, slots=True)
class DialogueLine:
    """One step of the offline tutor's script: its line, the answers that count, a hint, and the lesson
    objective that answering it without the hint achieves ("" for none)."""

    tutor: str
    expected: tuple[str, ...]
    hint: str = ""
    objective: str = ""


@dataclass(frozen=True, slots=True)
class Persona:
    name: str
    temperament: str = "warm and patient"
    correction_style: Literal["recast", "immediate", "minimal"] = "recast"
    pace: Literal["slow", "natural", "fast"] = "natural"


@dataclass(frozen=True, slots=True)
class LessonBrief:
    title: str
    language: str  # BCP-47, e.g. fr-FR
    level: str
    scenario: str
    persona: Persona
    objectives: tuple[str, ...] = ()
    vocabulary: tuple[VocabularyEntry, ...] = ()
    dialogue: tuple[DialogueLine, ...] = ()
    max_minutes: int = 15
    patience: str = ""  # a name from tutor.patience.PATIENCE; "" follows the level


@dataclass(frozen=True, slots=True)
class LearnerProfile:
    """Who the tutor talks to, and what earlier sessions taught about them (bounded in size)."""

    name: str
    native_language: str = "en"
    weak_points: tuple[str, ...] = ()
    words_learned: tuple[str, ...] = ()
    sessions_before: int = 0


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A function the model may call; `parameters` is a JSON Schema object."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ContextTurn:
    role: Literal["student", "tutor"]
    text: str
    index: int = -1  # the turn's number in the session, where known


@dataclass(frozen=True, slots=True)
class RestoredContext:
    """What a new connection needs of the conversation so far: a summary and the last turns verbatim."""

    summary: str = ""
    summary_through_turn: int = -1
    recent: tuple[ContextTurn, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.summary and not self.recent


@dataclass(frozen=True, slots=True)
class SessionSetup:
    model: str
    instructions: str
    language: str
    voice: str
    lesson: LessonBrief
    learner: LearnerProfile
    tools: tuple[ToolSpec, ...] = ()
    transcription: bool = True
    resumption_handle: str | None = None
    # The session was running on another provider, which failed: say one short line that you are back.
    takes_over: bool = False
    # The connection will be given again, after its set-up, a student turn the tutor still owes an answer
    # for: the line that it is back goes with that answer, never before it (it would answer blind).
    answer_owed: bool = False
    context: RestoredContext = field(default_factory=RestoredContext)
