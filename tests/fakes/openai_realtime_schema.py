"""What the fake Realtime service accepts: the GA `session.update` and item shapes, checked field by field.

Every check raises RealtimeError with the code, message and param the real service uses
(shared/reference/openai-realtime.md §4, §6), so a client that sends a beta, flat or misspelt field
hears about it here the way it would in production. The lists below are the service's, written out
again on purpose: a fake that imported the product's lists could not catch a wrong product list.
"""

import base64
import binascii
from typing import Any

VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar")
# openai 3.63.0, types/realtime/audio_transcription.py: the models, and which of them take which hints.
TRANSCRIPTION_MODELS = (
    "whisper-1",
    "gpt-4o-mini-transcribe",
    "gpt-4o-mini-transcribe-2025-12-15",
    "gpt-4o-transcribe",
    "gpt-4o-transcribe-diarize",
    "gpt-transcribe",
    "gpt-live-transcribe",
    "gpt-realtime-whisper",
)
HINTED_TRANSCRIBERS = ("gpt-transcribe", "gpt-live-transcribe")  # `keywords` and `languages`: "Supported by" these
UNPROMPTED_TRANSCRIBERS = ("gpt-realtime-whisper", "gpt-4o-transcribe-diarize")  # "Prompt is not supported"
AUDIO_RATE = 24_000

_SESSION_FIELDS = {
    "type",
    "model",
    "output_modalities",
    "instructions",
    "audio",
    "tools",
    "tool_choice",
    "max_output_tokens",
    "truncation",
    "include",
    "tracing",
    "prompt",
}
_RESPONSE_FIELDS = {
    "instructions",
    "output_modalities",
    "audio",
    "tools",
    "tool_choice",
    "max_output_tokens",
    "conversation",
    "input",
    "metadata",
    "prompt",
}
_SERVER_VAD_FIELDS = {
    "type",
    "threshold",
    "prefix_padding_ms",
    "silence_duration_ms",
    "idle_timeout_ms",
    "create_response",
    "interrupt_response",
}
_SEMANTIC_VAD_FIELDS = {"type", "eagerness", "create_response", "interrupt_response"}
# The formats the service reads, by the first bytes of their files.
_IMAGE_SIGNATURES = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    "image/gif": b"GIF8",
    "image/webp": b"RIFF",
}
_CONTENT_BY_ROLE = {
    "user": ("input_text", "input_audio", "input_image"),
    "assistant": ("output_text",),  # clients cannot create assistant audio
    "system": ("input_text",),
}


_JSON_TYPES = {str: "a string", list: "an array", int: "an integer", float: "a number", bool: "a boolean"}
_JSON_TYPES[type(None)] = "null"


class RealtimeError(Exception):
    """One `error` event: the service answers with it and keeps the connection open."""

    def __init__(self, code: str, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.param = code, message, param


def default_session(*, session_id: str, model: str, expires_at: int) -> dict[str, Any]:
    """The configuration `session.created` reports before any update (the docs' defaults)."""
    return {
        "type": "realtime",
        "object": "realtime.session",
        "id": session_id,
        "model": model,
        "expires_at": expires_at,
        "output_modalities": ["audio"],
        "instructions": "",
        "tools": [],
        "tool_choice": "auto",
        "max_output_tokens": "inf",
        "truncation": "auto",
        "tracing": None,
        "prompt": None,
        "include": None,
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": AUDIO_RATE},
                "transcription": None,
                "noise_reduction": None,
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 200,
                    "idle_timeout_ms": None,
                    "create_response": True,
                    "interrupt_response": True,
                },
            },
            "output": {"format": {"type": "audio/pcm", "rate": AUDIO_RATE}, "voice": "marin", "speed": 1.0},
        },
    }


def merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Only the fields sent change; a null (turn detection, transcription) replaces the whole object."""
    merged = dict(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and key != "turn_detection":
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


# ---- session.update --------------------------------------------------------------------------


def check_session(session: Any) -> None:
    _object(session, "session")
    if "type" not in session:
        raise RealtimeError("missing_required_parameter", "Missing required parameter: 'session.type'.", "session.type")
    _known(session, _SESSION_FIELDS, "session")
    if session["type"] != "realtime":
        raise _invalid_value(session["type"], ("realtime",), "session.type")
    if "instructions" in session:
        _string(session["instructions"], "session.instructions")
    if "output_modalities" in session:
        modalities = session["output_modalities"]
        if modalities not in (["audio"], ["text"]):
            raise RealtimeError(
                "invalid_value",
                "Invalid modalities: output_modalities must be ['audio'] or ['text'].",
                "session.output_modalities",
            )
    if "audio" in session:
        _check_audio(session["audio"])
    if "tools" in session:
        _check_tools(session["tools"], "session.tools")
    if "tool_choice" in session:
        _check_tool_choice(session["tool_choice"], "session.tool_choice")
    if "max_output_tokens" in session:
        _check_max_tokens(session["max_output_tokens"], "session.max_output_tokens")


def _check_audio(audio: Any) -> None:
    _object(audio, "session.audio")
    _known(audio, {"input", "output"}, "session.audio")
    if "input" in audio:
        given = _object(audio["input"], "session.audio.input")
        _known(given, {"format", "noise_reduction", "transcription", "turn_detection"}, "session.audio.input")
        if "format" in given:
            _check_format(given["format"], "session.audio.input.format")
        if given.get("noise_reduction") is not None:
            reduction = _object(given["noise_reduction"], "session.audio.input.noise_reduction")
            _known(reduction, {"type"}, "session.audio.input.noise_reduction")
            _one_of(reduction.get("type"), ("near_field", "far_field"), "session.audio.input.noise_reduction.type")
        if given.get("transcription") is not None:
            _check_transcription(given["transcription"])
        if given.get("turn_detection") is not None:
            _check_turn_detection(given["turn_detection"])
    if "output" in audio:
        given = _object(audio["output"], "session.audio.output")
        _known(given, {"format", "voice", "speed"}, "session.audio.output")
        if "format" in given:
            _check_format(given["format"], "session.audio.output.format")
        if "voice" in given:
            _check_voice(given["voice"], "session.audio.output.voice")
        if "speed" in given and not (_number(given["speed"]) and 0.25 <= given["speed"] <= 1.5):
            raise RealtimeError(
                "invalid_value", "Invalid 'speed': expected a number from 0.25 to 1.5.", "session.audio.output.speed"
            )


def _check_format(value: Any, param: str) -> None:
    fmt = _object(value, param)
    _known(fmt, {"type", "rate"}, param)
    _one_of(fmt.get("type"), ("audio/pcm", "audio/pcmu", "audio/pcma"), f"{param}.type")
    if fmt["type"] == "audio/pcm":
        if "rate" not in fmt:
            raise RealtimeError(
                "missing_required_parameter", f"Missing required parameter: '{param}.rate'.", f"{param}.rate"
            )
        if fmt["rate"] != AUDIO_RATE:
            raise _invalid_value(fmt["rate"], (AUDIO_RATE,), f"{param}.rate")


def _check_transcription(value: Any) -> None:
    param = "session.audio.input.transcription"
    transcription = _object(value, param)
    _known(transcription, {"model", "language", "languages", "keywords", "prompt", "delay"}, param)
    model = transcription.get("model")
    _one_of(model, TRANSCRIPTION_MODELS, f"{param}.model")
    for language in [transcription.get("language"), *(transcription.get("languages") or ())]:
        if language is not None and not (isinstance(language, str) and len(language) == 2 and language.isalpha()):
            raise RealtimeError(
                "invalid_value",
                f"Invalid language '{language}'. Language parameter must be specified in ISO-639-1 format.",
                f"{param}.language",
            )
    for hint in ("languages", "keywords"):
        if hint in transcription:
            if model not in HINTED_TRANSCRIBERS:
                raise RealtimeError("unknown_parameter", f"'{hint}' is not supported by {model}.", f"{param}.{hint}")
            value = transcription[hint]
            if not (isinstance(value, list) and all(isinstance(item, str) and item for item in value)):
                raise RealtimeError(
                    "invalid_type", f"Invalid '{hint}': expected an array of strings.", f"{param}.{hint}"
                )
    if "prompt" in transcription:
        if model in UNPROMPTED_TRANSCRIBERS:
            raise RealtimeError("unknown_parameter", f"'prompt' is not supported by {model}.", f"{param}.prompt")
        if not isinstance(transcription["prompt"], str):
            raise RealtimeError("invalid_type", "Invalid 'prompt': expected a string.", f"{param}.prompt")
    if "delay" in transcription and model != "gpt-realtime-whisper":
        raise RealtimeError("unknown_parameter", f"'delay' is not supported by {model}.", f"{param}.delay")


def _check_turn_detection(value: Any) -> None:
    param = "session.audio.input.turn_detection"
    detection = _object(value, param)
    _one_of(detection.get("type"), ("server_vad", "semantic_vad"), f"{param}.type")
    if detection["type"] == "server_vad":
        _known(detection, _SERVER_VAD_FIELDS, param)
        if "threshold" in detection and not (_number(detection["threshold"]) and 0 <= detection["threshold"] <= 1):
            raise RealtimeError("invalid_value", "Invalid 'threshold': expected 0.0 to 1.0.", f"{param}.threshold")
        for field in ("prefix_padding_ms", "silence_duration_ms"):
            if field in detection and not (isinstance(detection[field], int) and detection[field] >= 0):
                raise RealtimeError("invalid_type", f"Invalid '{field}': expected an integer.", f"{param}.{field}")
    else:
        _known(detection, _SEMANTIC_VAD_FIELDS, param)
        if "eagerness" in detection:
            _one_of(detection["eagerness"], ("low", "medium", "high", "auto"), f"{param}.eagerness")


def _check_voice(voice: Any, param: str) -> None:
    if isinstance(voice, dict) and isinstance(voice.get("id"), str) and voice["id"].startswith("voice_"):
        return
    if voice not in VOICES:
        raise _invalid_value(voice, VOICES, param)


def _check_tools(tools: Any, param: str) -> None:
    if not isinstance(tools, list):
        raise RealtimeError("invalid_type", f"Invalid type for '{param}': expected an array.", param)
    for index, tool in enumerate(tools):
        where = f"{param}[{index}]"
        _object(tool, where)
        _one_of(tool.get("type"), ("function",), f"{where}.type")
        _known(tool, {"type", "name", "description", "parameters"}, where)  # the Chat Completions nesting fails here
        if not isinstance(tool.get("name"), str) or not tool["name"]:
            raise RealtimeError("missing_required_parameter", f"Missing required parameter: '{where}.name'.", where)
        if "parameters" in tool:
            _object(tool["parameters"], f"{where}.parameters")


def _check_tool_choice(choice: Any, param: str) -> None:
    if isinstance(choice, dict):
        if choice.get("type") != "function" or not isinstance(choice.get("name"), str):
            raise RealtimeError("invalid_value", "Invalid tool_choice object.", param)
        return
    _one_of(choice, ("auto", "none", "required"), param)


def _check_max_tokens(value: Any, param: str) -> None:
    if value != "inf" and not (isinstance(value, int) and 1 <= value <= 4096):
        raise RealtimeError("invalid_value", f"Invalid '{param}': expected 1 to 4096 or 'inf'.", param)


# ---- response.create and items ---------------------------------------------------------------


def check_response(response: Any) -> None:
    _object(response, "response")
    _known(response, _RESPONSE_FIELDS, "response")
    if "conversation" in response:
        _one_of(response["conversation"], ("auto", "none"), "response.conversation")
    if "output_modalities" in response and response["output_modalities"] not in (["audio"], ["text"]):
        raise RealtimeError("invalid_value", "output_modalities must be ['audio'] or ['text'].", "response")
    if "tools" in response:
        _check_tools(response["tools"], "response.tools")


def check_item(item: Any) -> None:
    _object(item, "item")
    _one_of(item.get("type"), ("message", "function_call", "function_call_output"), "item.type")
    if "id" in item and not (isinstance(item["id"], str) and 0 < len(item["id"]) <= 32):
        raise RealtimeError("invalid_value", "Item ids must be 1 to 32 characters.", "item.id")
    match item["type"]:
        case "message":
            _known(item, {"id", "type", "object", "status", "role", "content"}, "item")
            _one_of(item.get("role"), tuple(_CONTENT_BY_ROLE), "item.role")
            content = item.get("content")
            if not isinstance(content, list) or not content:
                raise RealtimeError(
                    "invalid_type", "Invalid type for 'item.content': expected an array.", "item.content"
                )
            for index, part in enumerate(content):
                _check_content(part, _CONTENT_BY_ROLE[item["role"]], f"item.content[{index}]")
        case "function_call_output":
            _known(item, {"id", "type", "object", "status", "call_id", "output"}, "item")
            _string(item.get("call_id"), "item.call_id")
            _string(item.get("output"), "item.output")
        case "function_call":
            _known(item, {"id", "type", "object", "status", "call_id", "name", "arguments"}, "item")
            for field in ("call_id", "name", "arguments"):
                _string(item.get(field), f"item.{field}")


def _check_content(part: Any, allowed: tuple[str, ...], param: str) -> None:
    _object(part, param)
    _one_of(part.get("type"), allowed, f"{param}.type")
    match part["type"]:
        case "input_text" | "output_text":
            _known(part, {"type", "text"}, param)
            _string(part.get("text"), f"{param}.text")
        case "input_audio":
            _known(part, {"type", "audio", "transcript"}, param)
            _string(part.get("audio"), f"{param}.audio")
        case "input_image":
            _known(part, {"type", "image_url", "detail"}, param)
            _check_image_url(part.get("image_url"), f"{param}.image_url")
            if "detail" in part:
                _one_of(part["detail"], ("auto", "low", "high"), f"{param}.detail")


def _check_image_url(url: Any, param: str) -> None:
    """A data URL of a picture the service can read: one of its formats, valid base64, and the bytes
    being what the type says (the wording is Chat Completions' for the same faults)."""
    if not (isinstance(url, str) and url.startswith("data:image/") and ";base64," in url):
        raise RealtimeError("invalid_value", "Expected a base64-encoded data URL for 'image_url'.", param)
    mime, encoded = url.removeprefix("data:").split(";base64,", 1)
    try:
        data = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise RealtimeError("invalid_value", "Invalid base64 image_url.", param) from None
    readable = mime in _IMAGE_SIGNATURES and data.startswith(_IMAGE_SIGNATURES[mime])
    if not readable or (mime == "image/webp" and data[8:12] != b"WEBP"):
        raise RealtimeError(
            "invalid_image_format",
            "You uploaded an unsupported image. Please make sure your image has of one the following formats: "
            "['png', 'jpeg', 'gif', 'webp'].",
            param,
        )


# ---- small checks ----------------------------------------------------------------------------


def _object(value: Any, param: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        got = _JSON_TYPES.get(type(value), type(value).__name__)
        raise RealtimeError("invalid_type", f"Invalid type for '{param}': expected an object, but got {got}.", param)
    return value


def _string(value: Any, param: str) -> None:
    if not isinstance(value, str):
        raise RealtimeError("invalid_type", f"Invalid type for '{param}': expected a string.", param)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _known(value: dict[str, Any], fields: set[str], param: str) -> None:
    for key in value:
        if key not in fields:
            raise RealtimeError("unknown_parameter", f"Unknown parameter: '{param}.{key}'.", f"{param}.{key}")


def _one_of(value: Any, allowed: tuple[Any, ...], param: str) -> None:
    if value is None:
        raise RealtimeError("missing_required_parameter", f"Missing required parameter: '{param}'.", param)
    if value not in allowed:
        raise _invalid_value(value, allowed, param)


def _invalid_value(value: Any, allowed: tuple[Any, ...], param: str) -> RealtimeError:
    supported = ", ".join(repr(v) for v in allowed)
    return RealtimeError("invalid_value", f"Invalid value: {value!r}. Supported values are: {supported}.", param)
