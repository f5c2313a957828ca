"""How an OpenAI Realtime session is set up: the provider's settings, the WebSocket URL, the
`session.update` body (GA shape, shared/reference/openai-realtime.md §4) and the context items that
let a new session carry on where an expired or dropped one stopped."""

from dataclasses import dataclass
from ssl import SSLContext
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

from ..setup import RestoredContext, SessionSetup, ToolSpec

REALTIME_RATE = 24_000  # PCM16 both ways; the service takes no other rate
DEFAULT_BASE_URL = "https://api.openai.com/v1"

TurnDetection = Literal["semantic_vad", "server_vad"]
Eagerness = Literal["low", "medium", "high", "auto"]
NoiseReduction = Literal["near_field", "far_field"]

_WS_SCHEMES = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}


@dataclass(frozen=True, slots=True)
class OpenAIConfig:
    """The provider's settings (OPENAI_* in tutor/settings/live.py).

    `base_url` is the REST base the SDK uses: the Realtime socket is derived from it, so Azure
    (`https://<resource>.openai.azure.com/openai/v1`, the model being the deployment name) and
    compatible self-hosted servers (`http://host:port/v1`) work by changing this one value.
    """

    api_key: str
    base_url: str = DEFAULT_BASE_URL
    turn_detection: TurnDetection = "semantic_vad"
    transcription_model: str = "gpt-4o-mini-transcribe"
    eagerness: Eagerness = "auto"  # semantic_vad only
    vad_threshold: float = 0.5  # server_vad only, as are the two below
    vad_prefix_padding_ms: int = 300
    vad_silence_ms: int = 500
    noise_reduction: NoiseReduction | None = "near_field"  # a headset or laptop microphone
    ssl: SSLContext | None = None  # None: the system's trust store for wss
    connect_timeout: float = 10.0
    expiry_warning: float = 30.0  # seconds before the session's end to ask for a reconnect; 0: never

    def realtime_url(self, model: str) -> str:
        """http→ws and https→wss, plus `/realtime?model=…`, as the official SDK derives it."""
        parts = urlsplit(self.base_url.rstrip("/"))
        scheme = _WS_SCHEMES.get(parts.scheme.lower())
        if scheme is None or not parts.netloc:
            raise ValueError(f"OPENAI_BASE_URL must be an http(s) URL, not {self.base_url!r}")
        return f"{scheme}://{parts.netloc}{parts.path}/realtime?{urlencode({'model': model})}"


def session_update(setup: SessionSetup, config: OpenAIConfig, voice: str) -> dict[str, Any]:
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
                "turn_detection": turn_detection(config),
            },
            "output": {"format": audio_format, "voice": voice},
        },
        "tools": [function_tool(tool) for tool in setup.tools],
        "tool_choice": "auto",
    }


def turn_detection(config: OpenAIConfig) -> dict[str, Any]:
    """The service both answers and stops talking on its own: no manual commits in a normal turn."""
    automatic = {"create_response": True, "interrupt_response": True}
    if config.turn_detection == "semantic_vad":
        return {"type": "semantic_vad", "eagerness": config.eagerness, **automatic}
    return {
        "type": "server_vad",
        "threshold": config.vad_threshold,
        "prefix_padding_ms": config.vad_prefix_padding_ms,
        "silence_duration_ms": config.vad_silence_ms,
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
