"""How an OpenAI Realtime session is set up: the `session.update` body (GA shape, docs/providers/openai.md)
and the context items that let a new session carry on where an expired or dropped one stopped."""

from typing import Any

from tutor import patience
from tutor.brief import LessonBrief, RestoredContext, SessionSetup, ToolSpec

from ..catalog import CATALOG
from .config import OpenAIConfig

REALTIME_RATE = 24_000  # PCM16 both ways; the service takes no other rate
# A session another tutor service was running, which failed: the new tutor says it is back, in one line.
TAKEOVER_NOTE = (
    "The connection was lost for a moment and is back. Say one short sentence in the lesson's language that "
    "you are back, then carry on where the conversation stood."
)
# The same, when the student's last message, still unanswered, comes next: answer it, back in one line.
TAKEOVER_BEFORE_ANSWER_NOTE = (
    "The connection was lost for a moment and is back. The student's last message, still unanswered, follows: "
    "begin your answer to it with one short sentence in the lesson's language that you are back."
)


def session_update(setup: SessionSetup, config: OpenAIConfig) -> dict[str, Any]:
    """The whole configuration in one `session.update` (type realtime, nested audio in and out)."""
    audio_format = {"type": "audio/pcm", "rate": REALTIME_RATE}
    # Without transcription the service sends no student transcript at all.
    transcription = learner_transcription(setup, config.transcription_model) if setup.transcription else None
    return {
        "type": "realtime",
        "output_modalities": ["audio"],
        "instructions": setup.instructions,
        "audio": {
            "input": {
                "format": audio_format,
                "noise_reduction": {"type": config.noise_reduction} if config.noise_reduction else None,
                "transcription": transcription,
                "turn_detection": turn_detection(config, setup.lesson),
            },
            "output": {"format": audio_format, "voice": setup.voice},
        },
        "tools": [function_tool(tool) for tool in setup.tools],
        "tool_choice": "auto",
    }


def learner_transcription(setup: SessionSetup, model: str) -> dict[str, Any]:
    """The lesson's language and words, the way the transcription model takes them (its catalog entry says how;
    openai 3.63.0's `AudioTranscription`): `languages` (the lesson's and the student's own) and `keywords` for
    gpt-transcribe and gpt-live-transcribe; one `language` and a free-text `prompt` naming the words for the gpt-4o
    transcribers; a `prompt` that is the words alone for whisper-1 (its prompt "is a list of keywords"); the
    language alone for the rest (gpt-realtime-whisper takes no prompt). A model the catalog does not know is given
    the language only: nothing it might refuse."""
    facts = CATALOG.model(model)
    hints = facts.transcription_hints if facts is not None else ""
    languages = list(
        dict.fromkeys(code for code in (_iso639_1(setup.language), _iso639_1(setup.learner.native_language)) if code)
    )
    words = list(dict.fromkeys(entry.term.strip() for entry in setup.lesson.vocabulary if entry.term.strip()))
    transcription: dict[str, Any] = {"model": model}
    if hints == "keywords":
        if languages:
            transcription["languages"] = languages
        if words:
            transcription["keywords"] = words
        return transcription
    if languages:  # ISO-639-1 only; without it the model detects the language itself
        transcription["language"] = languages[0]
    if words and hints == "prompt":
        transcription["prompt"] = f"A language lesson; the learner may say these words: {', '.join(words)}."
    elif words and hints == "keyword_prompt":
        transcription["prompt"] = ", ".join(words)
    return transcription


def _iso639_1(code: str) -> str:
    """The two-letter code of a BCP-47 tag (fr-FR: fr), or empty: the service takes ISO-639-1 only."""
    language = code.split("-")[0].lower()
    return language if len(language) == 2 and language.isalpha() else ""


def turn_detection(config: OpenAIConfig, lesson: LessonBrief) -> dict[str, Any] | None:
    """None when the app decides the student's turns: the connection commits each one and asks for the answer
    (realtime.py). Otherwise the service both answers and stops talking on its own: no manual commits in a normal
    turn. How eagerly, or after how long a silence, follows the lesson's patience (tutor/patience.py)."""
    if config.app_turns:
        return None
    automatic = {"create_response": True, "interrupt_response": True}
    if config.turn_detection == "semantic_vad":
        eagerness = patience.eagerness(lesson.level, lesson.patience, config.eagerness)
        return {"type": "semantic_vad", "eagerness": eagerness, **automatic}
    return {
        "type": "server_vad",
        "threshold": config.vad_threshold,
        "prefix_padding_ms": config.vad_prefix_padding_ms,
        "silence_duration_ms": patience.silence_ms(lesson.level, lesson.patience, config.vad_silence_ms),
        **automatic,
    }


def function_tool(tool: ToolSpec) -> dict[str, Any]:
    """Realtime's flat function shape, not Chat Completions' `{"function": {...}}` nesting."""
    return {"type": "function", "name": tool.name, "description": tool.description, "parameters": tool.parameters}


def context_items(context: RestoredContext) -> list[dict[str, Any]]:
    """The recent turns as conversation items. A new session starts with an empty conversation (the
    summary is already in the instructions), and a model continues more naturally from real turns."""
    items = []
    for turn in context.recent:
        if turn.role == "student":
            items.append(user_message({"type": "input_text", "text": turn.text}))
        else:  # assistant items take output_text; clients cannot create assistant audio
            items.append(
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": turn.text}]}
            )
    return items


def user_message(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": list(content)}


def system_message(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "system", "content": [{"type": "input_text", "text": text}]}
