"""Failover: a session whose provider fails past its retries, or refuses, goes on with the next provider
in the site's order, with the same persona, summaries and recent turns, losing no finished turn."""

from tests.fakes.scripted import ScriptedProvider
from tutor.config import RunnerConfig
from tutor.events import (
    AudioOut,
    ProviderError,
    SessionError,
    StatusChanged,
    TextIn,
    TranscriptDelta,
    TurnComplete,
)
from tutor.providers.base import ProviderConnectError
from tutor.session.failover import TutorChoice
from tutor.session.store import MemoryStore

from .test_runner import TUTOR_AUDIO, one_exchange

DOWN = ProviderConnectError("unavailable", "The tutor service could not be reached.", retryable=True)
BAD_KEY = ProviderConnectError("auth", "API key not valid.", retryable=False)


class Backup(ScriptedProvider):
    name = "backup"


def backup(provider: ScriptedProvider | None = None, model: str = "backup-model") -> TutorChoice:
    return TutorChoice(provider=provider or Backup(), model=model, voice="v2", config=RunnerConfig(backoff=0.01))


class Health:
    """Records what the runner reports; `down` are held to be down."""

    def __init__(self, *down: str) -> None:
        self.down = set(down)
        self.reports: list[tuple[str, str]] = []

    async def usable(self, provider: str) -> bool:
        return provider not in self.down

    async def failed(self, provider: str) -> None:
        self.reports.append(("failed", provider))

    async def recovered(self, provider: str) -> None:
        self.reports.append(("recovered", provider))


async def test_a_provider_that_drops_and_cannot_be_reached_again_hands_the_session_to_the_next(harness_factory):
    first, second = ScriptedProvider(), Backup()
    health = Health()
    h = await harness_factory(provider=first, fallbacks=(backup(second),), health=health)
    conn = await first.wait_for_connections(1)
    conn.push(*one_exchange())
    await h.flush()
    first.connect_failures = [DOWN] * 3  # the service went away: every retry fails
    conn.push(TranscriptDelta("tutor", "Et avec"), AudioOut(TUTOR_AUDIO))  # cut off mid-reply
    conn.drop(ProviderError("dropped", "1006", retryable=True))
    taken = await second.wait_for_connections(1)
    await h.until(lambda: h.runner.state == "live")
    await h.flush()

    setup = taken.setup
    assert setup.takes_over and setup.model == "backup-model" and setup.voice == "v2"
    assert "Je voudrais un café" in [turn.text for turn in setup.context.recent]  # the same recent turns
    statuses = [e.state for e in h.of_type(StatusChanged)]
    assert statuses[-3:] == ["reconnecting", "failover", "live"]
    assert not h.of_type(SessionError)
    taken.push(TranscriptDelta("tutor", "Me revoilà !"), AudioOut(TUTOR_AUDIO), TurnComplete())
    await h.flush()
    turns = sorted(h.store.turns, key=lambda t: t.index)
    assert [(t.index, t.role, t.provider, t.model) for t in turns] == [
        (0, "student", "scripted", "scripted-model"),
        (1, "tutor", "scripted", "scripted-model"),
        (2, "tutor", "scripted", "scripted-model"),  # the cut reply, kept as it stood
        (3, "tutor", "backup", "backup-model"),
    ]
    assert turns[2].interrupted and turns[3].text == "Me revoilà !"
    assert h.store.providers == [("backup", "backup-model")]
    assert health.reports == [("recovered", "scripted"), ("failed", "scripted"), ("recovered", "backup")]


async def test_a_refused_key_fails_over_at_once_and_a_typed_turn_is_delivered_to_the_next(harness_factory):
    first, second = ScriptedProvider(connect_failures=[BAD_KEY]), Backup()
    h = await harness_factory(provider=first, fallbacks=(backup(second),))
    taken = await second.wait_for_connections(1)
    assert not first.connections and taken.setup.takes_over and not taken.setup.answer_owed
    await h.runner.handle(TextIn("Bonjour"))
    await h.flush()
    assert taken.texts == ["Bonjour"]
    assert [(t.role, t.provider) for t in h.store.turns] == [("student", "backup")]


async def test_a_refusal_mid_session_goes_on_with_the_next_provider_and_replays_what_is_owed(harness_factory):
    first, second = ScriptedProvider(), Backup()
    h = await harness_factory(provider=first, fallbacks=(backup(second),))
    conn = await first.wait_for_connections(1)
    await h.runner.handle(TextIn("Un café, s'il vous plaît"))  # delivered, not yet answered
    await h.flush()
    conn.drop(ProviderError("1007", "Request contains an invalid argument.", retryable=False))
    taken = await second.wait_for_connections(1)
    await h.flush()
    assert taken.texts == ["Un café, s'il vous plaît"]  # owed: given again to the new provider
    assert taken.setup.takes_over and taken.setup.answer_owed  # its back line goes with that answer
    assert len(first.connections) == 1 and not h.of_type(SessionError)


async def test_a_fallback_held_to_be_down_is_passed_over_for_the_next(harness_factory):
    down, up = Backup(), ScriptedProvider()
    down.name, up.name = "down", "up"
    first = ScriptedProvider(connect_failures=[BAD_KEY])
    h = await harness_factory(provider=first, fallbacks=(backup(down), backup(up, "up-model")), health=Health("down"))
    await up.wait_for_connections(1)
    await h.flush()
    assert not down.connections and h.store.providers == [("up", "up-model")]


async def test_a_provider_that_breaks_while_connecting_is_failed_over_not_left_hanging(harness_factory):
    """Not the contract's error (a malformed URL in the settings, a bug): the session must not wait for ever."""
    first = ScriptedProvider(connect_failures=[ValueError("Port could not be cast to integer value as 'None'")])
    second = Backup()
    h = await harness_factory(provider=first, fallbacks=(backup(second),))
    taken = await second.wait_for_connections(1)
    assert taken.setup.takes_over and not h.of_type(SessionError)


async def test_a_provider_that_breaks_while_connecting_with_none_left_ends_the_session_in_words(harness_factory):
    h = await harness_factory(provider=ScriptedProvider(connect_failures=[ValueError("bad URL")]))
    assert await h.finished() == "provider_error"
    assert h.of_type(SessionError)[0].code == "provider_refused"


async def test_with_no_provider_left_the_session_ends_in_plain_words(harness_factory):
    first, second = ScriptedProvider(connect_failures=[BAD_KEY]), Backup()
    second.connect_failures = [DOWN] * 3
    h = await harness_factory(provider=first, fallbacks=(backup(second),))
    assert await h.finished() == "provider_error"
    assert h.of_type(SessionError)[0].code == "provider_unavailable"
    assert h.store.ended == ("provider_error", True)


async def test_a_session_taken_up_again_after_failover_stays_on_its_new_provider(harness_factory):
    """The store keeps the provider each turn came from, and a restored session shows them in order."""
    store = MemoryStore()
    first, second = ScriptedProvider(connect_failures=[BAD_KEY]), Backup()
    h = await harness_factory(provider=first, store=store, fallbacks=(backup(second),))
    taken = await second.wait_for_connections(1)
    taken.push(*one_exchange())
    await h.flush()
    assert {t.provider for t in store.turns} == {"backup"}
