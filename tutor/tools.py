"""The tutor's tools: what the model is offered, and its calls checked and turned into typed notes (the
runner stores and shows them)."""

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from .brief import ToolSpec
from .events import CorrectionNoted, ObjectiveMet, PronunciationNoted, ToolCall, VocabularyNoted

CORRECTION_CATEGORIES = ("grammar", "vocabulary", "pronunciation", "spelling", "word_order", "register", "other")

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="note_correction",
        description=(
            "Record a mistake the student just made, as you correct it out loud. Call it once per "
            "mistake, at the moment you correct it."
        ),
        parameters={
            "type": "object",
            "properties": {
                "original": {"type": "string", "description": "What the student said, verbatim."},
                "corrected": {"type": "string", "description": "The correct way to say it."},
                "explanation": {"type": "string", "description": "One short sentence, in the student's language."},
                "category": {"type": "string", "enum": list(CORRECTION_CATEGORIES)},
                "rule": {
                    "type": "string",
                    "description": (
                        "The rule behind the mistake in one short line, in the student's language, named first: "
                        "conjugation, agreement, article, word order, spelling, word choice, a missing or extra "
                        "word, a particle. For example: 'Conjugation of vouloir: je voudrais, not je voudrai.' "
                        "One line per mistake when the phrase has several."
                    ),
                },
            },
            "required": ["original", "corrected", "explanation", "category", "rule"],
        },
    ),
    ToolSpec(
        name="note_vocabulary",
        description=(
            "Record a lesson word: status 'used' when the student used it, 'learned' when they used it "
            "correctly without help after struggling with it or meeting it for the first time."
        ),
        parameters={
            "type": "object",
            "properties": {
                "word": {"type": "string"},
                "status": {"type": "string", "enum": ["used", "learned"]},
            },
            "required": ["word", "status"],
        },
    ),
    ToolSpec(
        name="note_pronunciation",
        description=(
            "Record a word the student pronounced unclearly or wrongly, as you help them say it. Call it once "
            "per word, when you point it out."
        ),
        parameters={
            "type": "object",
            "properties": {
                "word": {"type": "string", "description": "The word as it should be said, in the target language."},
                "heard_as": {"type": "string", "description": "What it sounded like, spelled as you heard it."},
                "tip": {"type": "string", "description": "One short tip to say it right, in the student's language."},
            },
            "required": ["word", "heard_as", "tip"],
        },
    ),
    ToolSpec(
        name="complete_objective",
        description="Record that the student has achieved one of the lesson's objectives.",
        parameters={
            "type": "object",
            "properties": {"objective": {"type": "string", "description": "The objective, as listed."}},
            "required": ["objective"],
        },
    ),
)


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    """What a call means for the session, and what to answer the model."""

    note: CorrectionNoted | VocabularyNoted | PronunciationNoted | ObjectiveMet | None
    result: dict


def _text(arguments: dict, name: str) -> str:
    value = arguments.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'{name}' must be a non-empty string")
    return value.strip()


def _lines(value: object) -> str:
    """A rule as lines of text: a model may send one line, several, or a list of them."""
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return "\n".join(line.strip() for item in items for line in str(item).splitlines() if line.strip())


def interpret(call: ToolCall, *, student_turn: int | None, objectives: tuple[str, ...]) -> ToolOutcome:
    """Never raises: a malformed call gets an error result the model can read and correct."""
    try:
        match call.name:
            case "note_correction":
                category = call.arguments.get("category", "other")
                note = CorrectionNoted(
                    original=_text(call.arguments, "original"),
                    corrected=_text(call.arguments, "corrected"),
                    explanation=str(call.arguments.get("explanation", "")).strip(),
                    category=category if category in CORRECTION_CATEGORIES else "other",
                    turn=student_turn,
                    rule=_lines(call.arguments.get("rule")),
                )
            case "note_vocabulary":
                status = call.arguments.get("status")
                if status not in ("used", "learned"):
                    raise ValueError("'status' must be 'used' or 'learned'")
                note = VocabularyNoted(word=_text(call.arguments, "word"), status=status)
            case "note_pronunciation":
                note = PronunciationNoted(
                    word=_text(call.arguments, "word"),
                    heard_as=str(call.arguments.get("heard_as", "")).strip(),
                    tip=str(call.arguments.get("tip", "")).strip(),
                    # Only a recognizer's guess says so (the offline tutor); a model that heard it does not.
                    estimate=call.arguments.get("estimate") is True,
                    turn=student_turn,
                )
            case "complete_objective":
                objective = _text(call.arguments, "objective")
                note = ObjectiveMet(objective=_closest_objective(objective, objectives))
            case _:
                return ToolOutcome(note=None, result={"error": f"unknown tool {call.name!r}"})
    except ValueError as exc:
        return ToolOutcome(note=None, result={"error": str(exc)})
    return ToolOutcome(note=note, result={"ok": True})


def _closest_objective(text: str, objectives: tuple[str, ...]) -> str:
    """Models paraphrase; store the lesson's own wording when one objective clearly matches."""
    if not objectives:
        return text
    match = process.extractOne(text, objectives, scorer=fuzz.token_set_ratio, processor=utils.default_process)
    return match[0] if match and match[1] >= 70 else text
