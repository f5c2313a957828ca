"""Browser protocol v1 through the real ASGI stack (origin check, auth, consumer) and the offline tutor."""

import asyncio
import base64
import json

import pytest
from channels.db import database_sync_to_async

from practice.models import Correction, SessionStatus, Turn, TutorSession
from practice.services.sessions import session_create, session_end
from tests.conftest import configure_tutor
from tests.live.conftest import eventually
from tutor.providers.offline.tts import speak

pytestmark = pytest.mark.django_db(transaction=True)

JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + bytes(64) + bytes.fromhex("ffd9")


@pytest.fixture
def session(student, lesson):
    return session_create(student=student, lesson=lesson)


async def greeted(browser) -> dict:
    """Read the opening: ready, live, and the tutor's first line to its end."""
    ready = await browser.message("ready")
    await browser.message("turn_complete")
    return ready


async def test_a_student_joins_and_hears_the_tutor_greet(connect, session, student):
    browser = await connect(student, session.pk)
    ready = await browser.message("ready")
    assert ready == {
        "type": "ready", "version": 1, "session": session.pk, "provider": "offline",
        "input_rate": 16000, "output_rate": 24000, "max_seconds": 900, "elapsed_seconds": 0,
    }  # fmt: skip
    assert (await browser.message("status"))["state"] == "live"
    greeting = await browser.message("transcript")
    assert greeting["role"] == "tutor" and greeting["text"].startswith("Bonjour !")
    assert (await browser.message("turn_complete"))["turn"] == greeting["turn"]
    assert sum(len(frame) for frame in browser.binary) > 24_000 * 2  # over a second of speech
    assert await eventually(lambda: TutorSession.objects.filter(pk=session.pk, status="live").exists())


async def test_a_typed_right_answer_is_praised_and_the_lesson_moves_on(connect, session, student):
    browser = await connect(student, session.pk)
    await greeted(browser)
    await browser.send_json({"type": "text", "text": "Je voudrais un café, s'il vous plaît"})
    mine = await browser.message("transcript")
    assert (mine["role"], mine["text"], mine["final"]) == ("student", "Je voudrais un café, s'il vous plaît", True)
    words = [await browser.message("vocabulary") for _ in range(2)]
    assert {(w["word"], w["status"]) for w in words} == {("un café", "used"), ("un café", "learned")}
    reply = await browser.message("transcript")
    assert reply["role"] == "tutor" and "Et avec ça ?" in reply["text"]


async def test_a_close_answer_brings_a_correction_under_the_students_turn(connect, session, student):
    browser = await connect(student, session.pk)
    await greeted(browser)
    await browser.send_json({"type": "text", "text": "Je voudrait un café, s'il vous plaît"})
    mine = await browser.message("transcript")
    correction = await browser.message("correction")
    assert correction["turn"] == mine["turn"] and correction["category"] == "grammar"
    assert correction["corrected"] == "Je voudrais un café, s'il vous plaît"
    await browser.message("turn_complete")
    stored = await eventually(lambda: list(Correction.objects.values_list("category", "turn_index")))
    assert stored == [("grammar", mine["turn"])]


async def test_a_spoken_answer_is_heard_recognized_and_answered(connect, session, student, settings):
    configure_tutor(settings, audio_pace={"burst_seconds": 10})  # the test speaks faster than real time
    browser = await connect(student, session.pk)
    await greeted(browser)
    speech = bytes(16000) + speak("Je voudrais un café, s'il vous plaît", language="fr-FR", rate=16000, variant="m1")
    speech += bytes(32000)
    for start in range(0, len(speech), 640):
        await browser.ws.send_to(bytes_data=speech[start : start + 640])
        await asyncio.sleep(0.001)
    heard = await browser.message("transcript")
    assert (heard["role"], heard["text"]) == ("student", "Je voudrais un café, s'il vous plaît")


async def test_a_picture_gets_an_honest_answer(connect, session, student):
    browser = await connect(student, session.pk)
    await greeted(browser)
    await browser.send_json({"type": "image", "mime": "image/jpeg", "data": base64.b64encode(JPEG).decode()})
    reply = await browser.message("transcript")
    assert "ne peux pas voir les images" in reply["text"]


async def test_microphone_and_playback_messages_are_accepted_silently(connect, session, student):
    browser = await connect(student, session.pk)
    await greeted(browser)
    await browser.send_json({"type": "mic", "state": "off"})
    await browser.send_json({"type": "mic", "state": "on"})
    await browser.send_json({"type": "playback", "turn": 0, "played_ms": 1200})
    await browser.send_json({"type": "text", "text": "Je voudrais un café"})
    assert (await browser.message())["type"] == "transcript"  # no error came first


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_message"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "text", "text": ""}', "bad_message"),
        ('{"type": "text", "text": 5}', "bad_message"),
        ('{"type": "mic", "state": "loud"}', "bad_message"),
        ('{"type": "playback", "turn": -1, "played_ms": 3}', "bad_message"),
        ('{"type": "image", "mime": "image/gif", "data": "R0lG"}', "bad_image"),
        ('{"type": "image", "mime": "image/jpeg", "data": "***"}', "bad_image"),
        ('{"type": "image", "mime": "image/png", "data": "/9j/4AAQ"}', "bad_image"),
    ],
)
async def test_bad_messages_get_an_error_and_the_session_goes_on(connect, session, student, frame, code):
    browser = await connect(student, session.pk)
    await browser.message("ready")
    await browser.ws.send_to(text_data=frame)
    error = await browser.message("error")
    assert error["code"] == code and error["fatal"] is False and error["message"]
    await browser.send_json({"type": "text", "text": "Bonjour"})
    assert (await browser.message("transcript"))["role"] in ("student", "tutor")


async def test_oversized_and_malformed_frames_are_refused(connect, session, student, settings):
    browser = await connect(student, session.pk)
    await browser.message("ready")
    await browser.ws.send_to(bytes_data=bytes(settings.TUTOR.limits.max_audio_frame_bytes + 2))
    assert (await browser.message("error"))["code"] == "too_large"
    await browser.ws.send_to(bytes_data=bytes(641))
    assert (await browser.message("error"))["code"] == "bad_audio"
    huge = '{"type": "text", "text": "' + "a" * (settings.TUTOR.limits.max_text_chars + 1) + '"}'
    await browser.ws.send_to(text_data=huge)
    assert (await browser.message("error"))["code"] == "too_large"
    big_picture = "A" * (settings.TUTOR.limits.max_image_bytes * 4 // 3 + 400)
    await browser.send_json({"type": "image", "mime": "image/jpeg", "data": big_picture})
    assert (await browser.message("error"))["code"] == "too_large"


async def test_pictures_are_limited_to_one_a_second(connect, session, student):
    browser = await connect(student, session.pk)
    await browser.message("ready")
    picture = {"type": "image", "mime": "image/jpeg", "data": base64.b64encode(JPEG).decode()}
    await browser.send_json(picture)
    await browser.send_json(picture)
    assert (await browser.message("error"))["code"] == "too_fast"


async def test_frames_of_a_shared_camera_beyond_one_a_second_are_dropped_without_a_word(connect, session, student):
    browser = await connect(student, session.pk)
    await greeted(browser)
    frame = {"type": "image", "stream": True, "mime": "image/jpeg", "data": base64.b64encode(JPEG).decode()}
    for _ in range(20):  # a page gone wild: far more than one a second
        await browser.send_json(frame)
    picture = {"type": "image", "mime": "image/jpeg", "data": base64.b64encode(JPEG).decode()}
    await browser.send_json(picture)  # a picture the student chose is not held back by the frames
    reply = await browser.message("transcript")
    assert reply["role"] == "tutor" and "ne peux pas voir les images" in reply["text"]  # once, for the picture
    await browser.message("turn_complete")
    await browser.send_json({"type": "text", "text": "Je voudrais un café, s'il vous plaît"})
    assert (await browser.message("transcript"))["role"] == "student"
    said = [json.loads(text) for text in browser.texts]
    assert [m for m in said if m["type"] == "error"] == []
    cannot_see = [m for m in said if m["type"] == "transcript" and m["final"] and "voir les images" in m["text"]]
    assert len(cannot_see) == 1  # the offline tutor answers the picture, never a frame


async def test_an_audio_flood_is_warned_then_closed(connect, session, student, settings):
    configure_tutor(settings, audio_pace={"burst_seconds": 1.0, "close_after_seconds": 1.0})
    browser = await connect(student, session.pk)
    await browser.message("ready")
    for _ in range(50):  # 5 s of audio at once
        await browser.ws.send_to(bytes_data=bytes(3200))
    warning = await browser.message("error")
    assert warning["code"] == "too_fast" and not warning["fatal"]
    fatal = await browser.message("error")
    assert fatal["code"] == "too_fast" and fatal["fatal"]
    assert await browser.closed_with() == 4429


async def test_ending_writes_everything_and_points_to_the_report(connect, session, student):
    browser = await connect(student, session.pk)
    await greeted(browser)
    await browser.send_json({"type": "text", "text": "Je voudrais un café"})
    await browser.message("turn_complete")
    await browser.send_json({"type": "end"})
    ended = await browser.message("ended")
    assert ended == {"type": "ended", "reason": "student", "report_url": f"/sessions/{session.pk}/"}
    assert await browser.closed_with() == 1000
    session_row = await database_sync_to_async(TutorSession.objects.get)(pk=session.pk)
    assert session_row.status == SessionStatus.ENDED and session_row.end_reason == "student"
    roles = await database_sync_to_async(lambda: list(Turn.objects.order_by("index").values_list("role", flat=True)))()
    assert roles[:3] == ["tutor", "student", "tutor"]


async def test_an_ended_session_cannot_be_joined_again(connect, session, student):
    await database_sync_to_async(session_end)(session_id=session.pk, reason="student")
    browser = await connect(student, session.pk)
    assert (await browser.message("error"))["code"] == "ended"
    assert await browser.closed_with() == 4410


async def test_other_students_anonymous_visitors_and_teachers_are_refused(
    connect, session, other_student, teacher, classroom
):
    for user in (other_student, None, teacher):
        browser = await connect(user, session.pk)
        error = await browser.message("error")
        assert error == {
            "type": "error",
            "code": "forbidden",
            "message": "You may not join this session.",
            "fatal": True,
        }
        assert await browser.closed_with() == 4403
    browser = await connect(other_student, 999_999)
    assert await browser.closed_with() == 4403


async def test_the_live_socket_is_the_students_alone_teachers_and_staff_watch_instead(
    connect, session, staff, teacher, classroom
):
    for viewer in (staff, teacher):
        browser = await connect(viewer, session.pk)
        assert await browser.closed_with() == 4403


async def test_a_foreign_origin_is_refused_at_the_handshake(connect, session, student):
    await connect(student, session.pk, origin=(b"origin", b"https://evil.example"), expect_accept=False)
    await connect(student, session.pk, origin=None, expect_accept=False)


async def test_a_browser_that_reconnects_carries_on_with_the_conversation(connect, session, student, fast_offline):
    browser = await connect(student, session.pk)
    await greeted(browser)
    await browser.send_json({"type": "text", "text": "Je voudrais un café, s'il vous plaît"})
    await browser.message("turn_complete")
    await browser.ws.disconnect()
    again = await connect(student, session.pk)
    ready = await again.message("ready")
    assert ready["session"] == session.pk
    replayed = [await again.message("transcript") for _ in range(3)]
    assert [(m["role"], m["final"]) for m in replayed] == [("tutor", True), ("student", True), ("tutor", True)]
    await again.send_json({"type": "text", "text": "Un croissant, s'il vous plaît"})
    assert (await again.message("transcript"))["text"] == "Un croissant, s'il vous plaît"


async def test_a_second_tab_takes_over_and_the_first_is_told(connect, session, student):
    first = await connect(student, session.pk)
    await first.message("ready")
    second = await connect(student, session.pk)
    assert (await second.message("ready"))["session"] == session.pk
    error = await first.message("error")
    assert (error["code"], error["fatal"]) == ("replaced", True)
    assert await first.closed_with() == 4409
    await second.send_json({"type": "text", "text": "Bonjour"})
    assert (await second.message("transcript"))["role"] in ("student", "tutor")


async def test_json_nested_too_deep_or_with_a_huge_number_is_bad_json_and_the_session_goes_on(
    connect, session, student
):
    browser = await connect(student, session.pk)
    await greeted(browser)
    for frame in ("[" * 100_000 + "]" * 100_000, '{"type": "text", "text": ' + "9" * 5000 + "}"):
        await browser.ws.send_to(text_data=frame)
        error = await browser.message("error")
        assert (error["code"], error["fatal"]) == ("bad_json", False)
    await browser.send_json({"type": "text", "text": "Je voudrais un café, s'il vous plaît"})
    reply = await browser.message("transcript")
    while reply["role"] != "tutor":
        reply = await browser.message("transcript")
    assert "Et avec ça ?" in reply["text"]


async def test_a_burst_of_typed_messages_beyond_the_pace_is_refused_not_stored(connect, session, student):
    browser = await connect(student, session.pk)
    await greeted(browser)
    for number in range(300):
        await browser.send_json({"type": "text", "text": f"message {number}"})
    refused = 0
    async with asyncio.timeout(20):
        while refused < 295:
            if (await browser.message("error"))["code"] == "too_fast":
                refused += 1
    stored = await eventually(lambda: Turn.objects.filter(session=session, role="student").count() == 5)
    assert stored and refused == 295
