"""Provider health: a provider that failed is avoided by new sessions for a while, longer each time it fails
again, and is used again as soon as a connection to it opens; the offline tutor is never down."""

from types import SimpleNamespace

import pytest

from practice import provider_health
from practice.provider_health import CachedProviderHealth, provider_usable, wait_after


@pytest.fixture
def clock(monkeypatch):
    """The module's clock, set by hand (tests/conftest.py clears the health marks around each test)."""
    now = [1_000_000.0]
    monkeypatch.setattr(provider_health, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def test_the_wait_doubles_with_each_failure_in_a_row_up_to_ten_minutes():
    assert [wait_after(n) for n in (1, 2, 3, 4, 5, 6, 20)] == [30, 60, 120, 240, 480, 600, 600]


async def test_a_failed_provider_is_avoided_until_its_wait_runs_out(clock):
    health = CachedProviderHealth()
    await health.failed("gemini")
    assert not provider_usable("gemini") and not await health.usable("gemini")
    assert provider_usable("openai") and await health.usable("openai")
    clock[0] += 29
    assert not provider_usable("gemini")
    clock[0] += 1
    assert provider_usable("gemini") and await health.usable("gemini")


async def test_failing_again_waits_longer_and_a_connection_that_opens_clears_it(clock):
    health = CachedProviderHealth()
    await health.failed("openai")
    clock[0] += 30
    await health.failed("openai")
    clock[0] += 59
    assert not await health.usable("openai")
    await health.recovered("openai")
    assert await health.usable("openai") and provider_usable("openai")
    await health.failed("openai")
    clock[0] += 30
    assert await health.usable("openai")  # the count started again from the first failure


async def test_the_offline_tutor_is_never_held_down(clock):
    health = CachedProviderHealth()
    await health.failed("offline")
    assert provider_usable("offline") and await health.usable("offline")
