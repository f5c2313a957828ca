"""How an OpenAI Realtime session is set up: the `session.update` body (GA shape, docs/providers/openai.md)
and the context items that let a new session carry on where an expired or dropped one stopped."""

from typing import Any

from tutor import patience
from tutor.brief import LessonBrief, RestoredContext, SessionSetup, ToolSpec

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
    transcription = None
    if setup.transcription:  # without it the service sends no student transcript at all
        transcription = {"model": config.transcription_model}
        language = setup.language.split("-")[0].lower()
        if len(language) == 2:  # ISO-639-1 only; without it the model detects the language itself
            transcription["language"] = language
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


def turn_detection(config: OpenAIConfig, lesson: LessonBrief) -> dict[str, Any]:
    """The service both answers and stops talking on its own: no manual commits in a normal turn. How
    eagerly, or after how long a silence, follows the lesson's patience (tutor/patience.py)."""
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
