"""The whole stack with OpenAI Realtime: browser protocol, consumer, runner, provider, fake service."""

import asyncio
import base64
from decimal import Decimal

import pytest
from channels.db import database_sync_to_async

from practice.models import Turn, UsageRecord
from practice.services.sessions import session_create
from tests.conftest import configure_tutor
from tutor.providers import factory as provider_factory

from ..fakes.openai_realtime import FakeRealtimeServer, tone
from .conftest import eventually

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def fake_openai(settings):
    async with FakeRealtimeServer() as fake:
        openai = {
            "api_key": "sk-test",
            "base_url": fake.base_url,
            "turn_detection": "server_vad",
            "vad_silence_ms": 200,
        }
        configure_tutor(settings, provider="openai", openai=openai)
        provider_factory.live_provider.cache_clear()
        yield fake
        provider_factory.live_provider.cache_clear()


async def test_a_spoken_exchange_with_openai_through_the_browser_protocol(open_socket, fake_openai, student, lesson):
    session = await database_sync_to_async(session_create)(student=student, lesson=lesson)
    browser = await open_socket(student, session.pk)
    ready = await browser.message("ready")
    assert (ready["provider"], ready["input_rate"], ready["output_rate"]) == ("openai", 16000, 24000)
    greeting = await browser.message("transcript")
    assert greeting["role"] == "tutor"
    await browser.message("turn_complete")
    assert browser.binary, "the tutor's greeting reached the browser as audio"

    speech = tone(900, rate=16_000) + bytes(16_000)  # 0.9 s of "speech", then 0.5 s of silence
    for start in range(0, len(speech), 640):
        await browser.ws.send_to(bytes_data=speech[start : start + 640])
    heard = await browser.message("transcript")
    while heard["role"] != "student" or not heard["final"]:
        heard = await browser.message("transcript")
    assert heard["text"] == "Je voudrais un café."
    await browser.message("turn_complete")

    await browser.send_json({"type": "end"})
    assert (await browser.message("ended"))["reason"] == "student"
    roles = await database_sync_to_async(lambda: list(Turn.objects.order_by("index").values_list("role", flat=True)))()
    assert roles == ["tutor", "student", "tutor"]
    usage = await eventually(lambda: list(UsageRecord.objects.filter(session=session, purpose="live")))
    assert usage[0].model == "gpt-realtime-2.1" and usage[0].cost_usd > 0
    # The student's transcript is billed apart, by the transcription model, by the minute: its own row.
    transcribed = await eventually(lambda: list(UsageRecord.objects.filter(session=session, purpose="transcription")))
    assert [(row.provider, row.model) for row in transcribed] == [("openai", "gpt-transcribe")]
    wire = recording_usage(fake_openai)
    assert transcribed[0].audio_seconds == wire["seconds"] > 0 and transcribed[0].total_tokens == 0
    # Priced by the catalog's $0.0045 a minute, to the second: never unknown, never free.
    assert transcribed[0].cost_usd == (Decimal(str(wire["seconds"])) / 60 * Decimal("0.0045")).quantize(Decimal("1e-6"))
    [recording] = fake_openai.recordings
    assert recording.received_of("input_audio_buffer.append")  # the microphone reached the service
    assert recording.handshake.headers["authorization"] == "Bearer sk-test"
    assert not any("sk-test" in text for text in browser.texts)  # and the key never reached the browser


def stream_frame(tag: bytes) -> dict:
    return {"type": "image", "stream": True, "mime": "image/jpeg", "data": jpeg_b64(tag)}


def jpeg_b64(tag: bytes) -> str:
    return base64.b64encode(b"\xff\xd8\xff\xe0" + tag).decode()


async def test_a_shared_camera_gives_openai_the_newest_frame_with_the_students_next_turn(
    open_socket, fake_openai, student, lesson
):
    session = await database_sync_to_async(session_create)(student=student, lesson=lesson)
    browser = await open_socket(student, session.pk)
    await browser.message("ready")
    await browser.message("turn_complete")
    await browser.send_json(stream_frame(b"older"))
    await asyncio.sleep(1.3)  # past the one-a-second limit, with room for the socket's own delays
    await browser.send_json(stream_frame(b"newest"))
    [recording] = fake_openai.recordings
    speech, pause = tone(900, rate=16_000), bytes(16_000)  # 0.9 s of "speech", then 0.5 s of silence
    for start in range(0, len(speech), 640):
        await browser.ws.send_to(bytes_data=speech[start : start + 640])

    def frame_given() -> bool:
        created = [event["item"] for event in recording.received_of("conversation.item.create")]
        return any(part["type"] == "input_image" for item in created for part in item.get("content", ()))

    await fake_openai.wait_for(frame_given)  # given as the service hears the student start, before the pause
    for start in range(0, len(pause), 640):
        await browser.ws.send_to(bytes_data=pause[start : start + 640])
    await browser.message("turn_complete")
    live = UsageRecord.objects.filter(session=session, purpose="live")
    usage = await eventually(lambda: list(live.filter(image_in_tokens__gt=0)))  # a new query each time

    items = [
        event["item"] for event in recording.sent_of("conversation.item.added") if event["item"].get("role") == "user"
    ]
    parts = [part for item in items for part in item["content"]]
    assert [part["type"] for part in parts] == ["input_image", "input_audio"]
    assert parts[0]["image_url"] == "data:image/jpeg;base64," + jpeg_b64(b"newest")
    assert usage[0].image_in_tokens > 0  # what the frame cost is recorded, as the service reports it
    assert not [text for text in browser.texts if '"type": "error"' in text]


def recording_usage(fake) -> dict:
    """The usage the fake billed for the student's transcription (a duration, for gpt-transcribe)."""
    [recording] = fake.recordings
    [completed] = recording.sent_of("conversation.item.input_audio_transcription.completed")
    return completed["usage"]
