"""Failover: the providers a session may go on with when its own fails, and what the runner tells the
site about each provider's health, so that new sessions avoid one that is down and return to it once it
is back (the Django side keeps the health, with backoff, in the cache: practice/provider_health.py)."""

from dataclasses import dataclass
from typing import Protocol

from ..config import RunnerConfig
from ..providers.base import LiveProvider


@dataclass(frozen=True)
class TutorChoice:
    """A provider a session may run on, with the model, voice and timings it gets there."""

    provider: LiveProvider
    model: str
    voice: str
    config: RunnerConfig


class ProviderHealth(Protocol):
    async def usable(self, provider: str) -> bool:
        """False while the provider is held to be down (others' sessions failed on it lately)."""
        ...

    async def failed(self, provider: str) -> None:
        """A connection could not be opened, past its retries."""
        ...

    async def recovered(self, provider: str) -> None:
        """A connection opened."""
        ...


class NoHealth:
    """Every provider usable, nothing remembered: tests, benchmarks and scripted sessions."""

    async def usable(self, provider: str) -> bool:
        return True

    async def failed(self, provider: str) -> None:
        return None

    async def recovered(self, provider: str) -> None:
        return None
