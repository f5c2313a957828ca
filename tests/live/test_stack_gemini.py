"""The whole stack with Gemini Live: browser protocol, consumer, runner, the Gemini provider through the
real google-genai SDK, and the TLS fake of BidiGenerateContent."""

import asyncio
import base64

import pytest
from channels.db import database_sync_to_async

from practice.models import Turn, TutorSession, UsageRecord
from practice.services.sessions import session_create
from tests.conftest import configure_tutor
from tutor.providers import factory as provider_factory
from tutor.providers.gemini.provider import JOIN_CUE

from ..fakes.gemini_live import DEFAULT_SCRIPT, FakeGeminiLive, FakeLiveOptions
from ..fakes.sound import utterance
from ..fakes.tls import make_certificate
from .conftest import eventually


async def eventually_true(condition, within: float = 10) -> None:
    """Wait for a condition on the fake (no database involved); the limit only stops a hang."""
    async with asyncio.timeout(within):
        while not condition():
            await asyncio.sleep(0.01)


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def fake_gemini(settings, tmp_path):
    certificate = make_certificate(tmp_path)
    async with FakeGeminiLive(certificate, FakeLiveOptions(silence_ms=300)) as fake:
        gemini = {
            "api_key": fake.options.api_key,
            "base_url": fake.url,
            "ca_file": str(certificate.cert_file),
            "silence_duration_ms": 300,
            "activity_detection": "service",
        }
        configure_tutor(settings, provider="gemini", gemini=gemini)
        provider_factory.live_provider.cache_clear()
        yield fake
        provider_factory.live_provider.cache_clear()


async def test_a_spoken_exchange_with_gemini_through_the_browser_protocol(open_socket, fake_gemini, student, lesson):
    session = await database_sync_to_async(session_create)(student=student, lesson=lesson)
    assert session.model == "gemini-3.8-live"
    browser = await open_socket(student, session.pk)
    assert (await browser.message("ready"))["provider"] == "gemini"
    greeting = await browser.message("turn_complete")  # the tutor greets first, cued by the provider
    assert fake_gemini.connections[0].received[0].data == JOIN_CUE
    assert browser.binary, "the greeting reached the browser as 24 kHz audio"

    speech = utterance()
    for start in range(0, len(speech), 640):
        await browser.ws.send_to(bytes_data=speech[start : start + 640])
    heard = await browser.message("transcript")
    while heard["role"] != "student" or not heard["final"]:
        heard = await browser.message("transcript")
    assert heard["text"] == DEFAULT_SCRIPT[1].heard
    answer = await browser.message("turn_complete")
    assert answer["turn"] > greeting["turn"]

    await browser.send_json({"type": "end"})
    assert (await browser.message("ended"))["reason"] == "student"
    turns = await database_sync_to_async(lambda: list(Turn.objects.order_by("index").values_list("role", "text")))()
    assert turns == [("tutor", DEFAULT_SCRIPT[0].reply), ("student", DEFAULT_SCRIPT[1].heard),
                     ("tutor", DEFAULT_SCRIPT[1].reply)]  # fmt: skip
    usage = await eventually(lambda: list(UsageRecord.objects.filter(session=session)))
    assert usage[0].model == "gemini-3.8-live" and usage[0].audio_in_tokens + usage[0].text_in_tokens > 0
    handle = await database_sync_to_async(lambda: TutorSession.objects.get(pk=session.pk).resumption_handle)()
    assert handle, "the resumption handle is in the database, for another process to resume with"
    assert not any(fake_gemini.options.api_key in text for text in browser.texts)


def stream_frame(tag: bytes) -> dict:
    data = base64.b64encode(b"\xff\xd8\xff\xe0" + tag).decode()
    return {"type": "image", "stream": True, "mime": "image/jpeg", "data": data}


async def test_a_shared_camera_reaches_gemini_as_video_one_frame_a_second_the_rest_dropped_quietly(
    open_socket, fake_gemini, student, lesson
):
    session = await database_sync_to_async(session_create)(student=student, lesson=lesson)
    browser = await open_socket(student, session.pk)
    await browser.message("ready")
    await browser.message("turn_complete")
    for tag in (b"1", b"2", b"3"):  # faster than one a second: only the first goes
        await browser.send_json(stream_frame(tag))
    await asyncio.sleep(1.3)  # past the one-a-second limit, with room for the socket's own delays
    await browser.send_json(stream_frame(b"4"))
    picture = {"type": "image", "mime": "image/jpeg", "data": base64.b64encode(b"\xff\xd8\xff\xe0photo").decode()}
    await browser.send_json(picture)  # within the second of a frame, and still taken
    await eventually_true(lambda: len(fake_gemini.connections[0].of_kind("image")) == 3)

    seen = [data for _mime, data in (r.data for r in fake_gemini.connections[0].of_kind("image"))]
    assert seen == [b"\xff\xd8\xff\xe01", b"\xff\xd8\xff\xe04", b"\xff\xd8\xff\xe0photo"]
    await browser.send_json({"type": "end"})
    assert (await browser.message("ended"))["reason"] == "student"
    assert not [text for text in browser.texts if '"type": "error"' in text]
