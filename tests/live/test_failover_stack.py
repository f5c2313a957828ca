"""Failover through the whole stack: a session on Gemini Live (the real google-genai SDK against the TLS
fake) whose service dies mid-turn, or refuses the key, goes on with OpenAI Realtime (the real client
against its fake), losing no finished turn; new sessions avoid the dead service until it is back."""

import pytest
from channels.db import database_sync_to_async

from practice.models import Turn, TutorSession
from practice.services.sessions import session_create
from tests.conftest import configure_tutor
from tutor.providers import factory as provider_factory

from ..fakes.gemini_live import DEFAULT_SCRIPT, FakeGeminiLive, FakeLiveOptions
from ..fakes.openai_realtime import FakeRealtimeServer, Reply
from ..fakes.tls import make_certificate
from .conftest import eventually

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def services(settings, tmp_path):
    """Gemini first, OpenAI next, as TUTOR_FAILOVER orders them."""
    certificate = make_certificate(tmp_path)
    gemini = FakeGeminiLive(certificate, FakeLiveOptions(silence_ms=300))
    async with gemini, FakeRealtimeServer() as openai:
        configure_tutor(
            settings,
            provider="gemini",
            failover=("gemini", "openai"),
            gemini={"api_key": "test-key", "base_url": gemini.url, "ca_file": str(certificate.cert_file)},
            openai={"api_key": "sk-test", "base_url": openai.base_url, "turn_detection": "server_vad"},
            runner={"retries": 2, "backoff": 0.05},
        )
        provider_factory.live_provider.cache_clear()
        yield gemini, openai
        provider_factory.live_provider.cache_clear()


def _turns(session_id: int) -> list[tuple[int, str, str]]:
    return list(Turn.objects.filter(session_id=session_id).order_by("index").values_list("index", "role", "provider"))


async def test_gemini_dies_mid_turn_and_the_lesson_goes_on_with_openai(open_socket, services, student, lesson):
    gemini, openai = services
    openai.replies.append(Reply("Me revoilà ! Où en étions-nous ?", audio_ms=300))
    session = await database_sync_to_async(session_create)(student=student, lesson=lesson)
    browser = await open_socket(student, session.pk)
    await browser.message("turn_complete")  # Gemini's greeting, finished and stored
    await browser.send_json({"type": "text", "text": "Je voudrais un café"})
    await browser.message("transcript")  # the typed turn, shown
    await gemini.__aexit__(None, None, None)  # the service dies: its socket closes, and nothing answers
    assert (await browser.message("status"))["state"] == "reconnecting"
    assert (await browser.message("status"))["state"] == "failover"
    assert (await browser.message("status"))["state"] == "live"
    heard_before = len(browser.binary)
    back = await browser.message("turn_complete")
    assert len(browser.binary) > heard_before, "the student hears the tutor again, from OpenAI"

    [recording] = openai.recordings
    items = [e["item"] for e in recording.received_of("conversation.item.create")]
    texts = [c.get("text") for item in items for c in item.get("content", ())]
    assert DEFAULT_SCRIPT[0].reply in texts  # the recent turns carried over: Gemini's greeting
    assert "Je voudrais un café" in texts  # and the typed turn nobody had answered, given again
    assert any(item["role"] == "system" and "back" in item["content"][0]["text"] for item in items)
    await browser.send_json({"type": "end"})
    await browser.message("ended")
    turns = await database_sync_to_async(_turns)(session.pk)
    assert [(role, provider) for _index, role, provider in turns[:2]] == [("tutor", "gemini"), ("student", "gemini")]
    assert turns[-1] == (back["turn"], "tutor", "openai")
    # Between them, at most the reply Gemini had begun when it died, kept as it stood.
    assert all(role == "tutor" and provider == "gemini" for _index, role, provider in turns[2:-1])
    stored = await database_sync_to_async(TutorSession.objects.get)(pk=session.pk)
    assert (stored.provider, stored.model) == ("openai", "gpt-realtime-2.1")
    assert not any("sk-test" in text or "test-key" in text for text in browser.texts)

    # A new session does not start on the service that is down, until its wait is over.
    another = await database_sync_to_async(session_create)(student=student, lesson=lesson)
    assert another.provider == "openai"


async def test_a_refused_gemini_key_hands_the_session_to_openai_at_once(
    open_socket, services, settings, student, lesson
):
    gemini, _openai = services
    configure_tutor(settings, gemini={"api_key": "not-the-key"})
    provider_factory.live_provider.cache_clear()
    session = await database_sync_to_async(session_create)(student=student, lesson=lesson)
    browser = await open_socket(student, session.pk)
    assert (await browser.message("status"))["state"] == "failover"
    assert (await browser.message("status"))["state"] == "live"
    await browser.message("turn_complete")
    assert len(gemini.connections) == 1  # refused once, not retried
    await eventually(lambda: Turn.objects.filter(session=session, provider="openai").exists())
    await browser.send_json({"type": "end"})
    await browser.message("ended")
