"""Provider objects built from settings: the one place that knows each provider's configuration."""

from functools import cache

from django.conf import settings

from .live.providers.base import LiveProvider
from .live.providers.gemini import GeminiConfig, GeminiProvider
from .live.providers.gemini_text import GeminiTextModel
from .live.providers.offline import OfflineProvider
from .live.providers.openai_realtime import OpenAIConfig, OpenAIRealtimeProvider
from .live.providers.openai_text import OpenAITextModel
from .live.text import TextModel


@cache
def live_provider(name: str) -> LiveProvider:
    """One provider object per process and name (they hold clients and caches, not sessions)."""
    match name:
        case "offline":
            return OfflineProvider()
        case "gemini":
            return GeminiProvider(_gemini_config())
        case "openai":
            return OpenAIRealtimeProvider(_openai_config())
        case _:
            raise ValueError(f"unknown provider {name!r}")


def _gemini_config() -> GeminiConfig:
    return GeminiConfig(
        api_key=settings.GEMINI_API_KEY,
        api_version=settings.GEMINI_API_VERSION,
        base_url=settings.GEMINI_BASE_URL or None,
        ca_file=settings.GEMINI_CA_FILE or None,
        audio_chunk_ms=settings.GEMINI_AUDIO_CHUNK_MS,
        default_voice=settings.GEMINI_DEFAULT_VOICE,
        silence_duration_ms=settings.GEMINI_SILENCE_DURATION_MS,
    )


def _openai_config() -> OpenAIConfig:
    return OpenAIConfig(
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL,
        turn_detection=settings.OPENAI_TURN_DETECTION,
        transcription_model=settings.OPENAI_TRANSCRIPTION_MODEL,
        eagerness=settings.OPENAI_VAD_EAGERNESS,
        vad_threshold=settings.OPENAI_VAD_THRESHOLD,
        vad_silence_ms=settings.OPENAI_VAD_SILENCE_MS,
        noise_reduction=settings.OPENAI_NOISE_REDUCTION or None,
    )


@cache
def text_model(name: str) -> TextModel | None:
    """The provider's text model for summaries and reports; None means write them by extraction."""
    match name:
        case "offline":
            return None
        case "gemini":
            return GeminiTextModel(_gemini_config(), settings.GEMINI_TEXT_MODEL)
        case "openai":
            return OpenAITextModel(
                api_key=settings.OPENAI_API_KEY, model=settings.OPENAI_TEXT_MODEL, base_url=settings.OPENAI_BASE_URL
            )
        case _:
            raise ValueError(f"unknown provider {name!r}")
