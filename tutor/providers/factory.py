"""Provider objects built from the tutor's configuration: the one place that knows which class plays
which provider, for live sessions and for the text models that write summaries and reports."""

from functools import cache

from ..config import TutorConfig
from .base import LiveProvider
from .gemini import models as gemini_models
from .gemini.provider import GeminiProvider
from .gemini.text import GeminiTextModel
from .offered import Offered
from .offline.provider import OfflineProvider
from .openai import models as openai_models
from .openai.realtime import OpenAIRealtimeProvider
from .openai.text import OpenAITextModel
from .text import TextModel


@cache
def live_provider(config: TutorConfig, name: str) -> LiveProvider:
    """One provider object per configuration and name (they hold clients and caches, not sessions)."""
    match name:
        case "offline":
            return OfflineProvider(config.offline)
        case "gemini":
            return GeminiProvider(config.gemini, config.catalog)
        case "openai":
            return OpenAIRealtimeProvider(config.openai)
        case _:
            raise ValueError(f"unknown provider {name!r}")


@cache
def text_model(config: TutorConfig, name: str) -> TextModel | None:
    """The provider's text model for summaries and reports; None means write them by extraction."""
    model = config.text_model(name)
    match name:
        case "offline":
            return None
        case "gemini":
            return GeminiTextModel(config.gemini, model)
        case "openai":
            facts = config.catalog.model(model)
            return OpenAITextModel(config.openai, model, reasoning_effort=facts.reasoning_effort if facts else "")
        case _:
            raise ValueError(f"unknown provider {name!r}")


async def offered_models(config: TutorConfig, name: str) -> dict[str, Offered]:
    """The models the provider's service offers this site's key (raises offered.ModelListError)."""
    match name:
        case "gemini":
            return await gemini_models.offered_models(config.gemini)
        case "openai":
            return await openai_models.offered_models(config.openai)
        case _:
            raise ValueError(f"{name!r} lists no models")
