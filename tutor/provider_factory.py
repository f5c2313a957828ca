"""Provider objects built from settings: the one place that knows each provider's configuration."""

from functools import cache

from .live.providers.base import LiveProvider
from .live.providers.offline import OfflineProvider
from .live.text import TextModel


@cache
def live_provider(name: str) -> LiveProvider:
    """One provider object per process and name (they hold clients and caches, not sessions)."""
    match name:
        case "offline":
            return OfflineProvider()
        case _:
            raise ValueError(f"unknown provider {name!r}")


@cache
def text_model(name: str) -> TextModel | None:
    """The provider's text model for summaries and reports; None means write them by extraction."""
    match name:
        case "offline":
            return None
        case _:
            raise ValueError(f"unknown provider {name!r}")
