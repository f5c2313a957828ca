"""Which live providers are held to be down, shared by every server process through the cache (Redis
across machines), with backoff: a provider that failed is avoided by new sessions for 30 s, then tried
again; each failure in a row doubles the wait, up to 10 minutes; the first connection that opens clears
it. One place decides, so new sessions do not each guess (tutor/session/failover.py is the engine's side).
"""

import time

from django.core.cache import cache

FIRST_WAIT_SECONDS = 30.0
LONGEST_WAIT_SECONDS = 600.0
ALWAYS_UP = frozenset({"offline"})  # runs in this process: nothing to be down


def health_key(provider: str) -> str:
    return f"provider-health:{provider}"


def wait_after(failures: int) -> float:
    return min(LONGEST_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** max(0, failures - 1))


def usable_by(provider: str, mark: dict | None) -> bool:
    """Up unless a failure's wait (`mark`, from the cache) has not run out."""
    return provider in ALWAYS_UP or mark is None or mark["until"] <= time.time()


def provider_usable(provider: str) -> bool:
    return usable_by(provider, None if provider in ALWAYS_UP else cache.get(health_key(provider)))


class CachedProviderHealth:
    """The runner's ProviderHealth (tutor/session/failover.py) on the cache."""

    async def usable(self, provider: str) -> bool:
        return usable_by(provider, None if provider in ALWAYS_UP else await cache.aget(health_key(provider)))

    async def failed(self, provider: str) -> None:
        if provider in ALWAYS_UP:
            return
        mark = await cache.aget(health_key(provider)) or {"failures": 0}
        failures = mark["failures"] + 1
        until = time.time() + wait_after(failures)
        await cache.aset(health_key(provider), {"failures": failures, "until": until}, timeout=LONGEST_WAIT_SECONDS * 2)

    async def recovered(self, provider: str) -> None:
        if provider not in ALWAYS_UP:
            await cache.adelete(health_key(provider))
