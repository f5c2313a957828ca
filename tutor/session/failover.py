"""Failover as one unit: the providers a session may go on with when its own fails, in the site's order, and
what the session tells the site about each provider's health, so that new sessions avoid one that is down and
return to it once it is back (the Django side keeps the health, with backoff, in the cache:
practice/provider_health.py)."""

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


class Failover:
    """The next provider for a session whose own failed: the first of its fallbacks not held to be down, else the
    first at all (a health mark is only a guess). Each is tried once."""

    def __init__(self, fallbacks: tuple[TutorChoice, ...] = (), health: ProviderHealth | None = None) -> None:
        self._fallbacks = list(fallbacks)
        self._health = health or NoHealth()

    @property
    def remaining(self) -> tuple[TutorChoice, ...]:
        return tuple(self._fallbacks)

    async def connected(self, provider: str) -> None:
        await self._health.recovered(provider)

    async def next_after(self, failed: str) -> TutorChoice | None:
        """`failed` could not serve the session: marked down for new sessions; the choice to go on with, if any."""
        await self._health.failed(failed)
        for position, choice in enumerate(self._fallbacks):
            if await self._health.usable(choice.provider.name):
                return self._fallbacks.pop(position)
        return self._fallbacks.pop(0) if self._fallbacks else None
