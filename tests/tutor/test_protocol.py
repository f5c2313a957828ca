import base64
import json

import pytest

from tutor import protocol
from tutor.events import (
    AudioIn,
    AudioOut,
    CorrectionNoted,
    Ended,
    EndRequested,
    ImageIn,
    MicChanged,
    PlaybackReport,
    PronunciationNoted,
    Ready,
    StatusChanged,
    TextIn,
    TranscriptUpdate,
    VideoFrameIn,
)

LIMITS = protocol.Limits(max_audio_frame_bytes=640, max_image_bytes=100, max_text_chars=10)
JPEG = b"\xff\xd8\xff\xe0" + bytes(20)


def image_message(**fields) -> str:
    return json.dumps({"type": "image", "mime": "image/jpeg", "data": base64.b64encode(JPEG).decode(), **fields})


def test_audio_frames_are_even_and_bounded():
    assert protocol.parse_binary(bytes(640), LIMITS) == AudioIn(bytes(640))
    for frame, code in ((bytes(641), "too_large"), (bytes(3), "bad_audio")):
        with pytest.raises(protocol.ProtocolError) as caught:
            protocol.parse_binary(frame, LIMITS)
        assert caught.value.code == code


@pytest.mark.parametrize(
    ("message", "event"),
    [
        ({"type": "text", "text": "  Hola  "}, TextIn("Hola")),
        ({"type": "mic", "state": "off"}, MicChanged(on=False)),
        ({"type": "playback", "turn": 3, "played_ms": 850}, PlaybackReport(3, 850)),
        ({"type": "end"}, EndRequested()),
    ],
)
def test_client_messages_become_typed_events(message, event):
    assert protocol.parse_text(json.dumps(message), LIMITS) == event


def test_booleans_are_not_numbers():
    with pytest.raises(protocol.ProtocolError):
        protocol.parse_text(json.dumps({"type": "playback", "turn": True, "played_ms": 1}), LIMITS)


def test_a_whole_message_over_the_picture_limit_is_refused_before_parsing():
    with pytest.raises(protocol.ProtocolError) as caught:
        protocol.parse_text(" " * (LIMITS.max_message_chars + 1), LIMITS)
    assert caught.value.code == "too_large"


def test_a_picture_is_one_to_answer_and_a_streamed_frame_only_something_to_see():
    assert protocol.parse_text(image_message(), LIMITS) == ImageIn(JPEG, "image/jpeg")
    assert protocol.parse_text(image_message(stream=False), LIMITS) == ImageIn(JPEG, "image/jpeg")
    assert protocol.parse_text(image_message(stream=True), LIMITS) == VideoFrameIn(JPEG, "image/jpeg")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"stream": "yes"}, "bad_message"),
        ({"stream": 1}, "bad_message"),
        ({"stream": True, "mime": "image/gif"}, "bad_image"),
        ({"stream": True, "data": base64.b64encode(b"GIF89a").decode()}, "bad_image"),
        ({"stream": True, "data": "A" * 200}, "too_large"),
    ],
)
def test_a_streamed_frame_is_checked_like_any_picture(fields, code):
    with pytest.raises(protocol.ProtocolError) as caught:
        protocol.parse_text(image_message(**fields), LIMITS)
    assert caught.value.code == code


def test_server_events_encode_to_protocol_v1():
    assert protocol.encode(AudioOut(b"\x01\x02")) == b"\x01\x02"
    ready = json.loads(protocol.encode(Ready(7, "offline", 16000, 24000, 600, 12)))
    assert ready == {"type": "ready", "version": 1, "session": 7, "provider": "offline", "input_rate": 16000,
                     "output_rate": 24000, "max_seconds": 600, "elapsed_seconds": 12}  # fmt: skip
    assert json.loads(protocol.encode(TranscriptUpdate("tutor", 2, "Hola", True))) == {
        "type": "transcript", "role": "tutor", "turn": 2, "text": "Hola", "final": True}  # fmt: skip
    assert json.loads(protocol.encode(CorrectionNoted("a", "b", "c", "grammar", 1)))["type"] == "correction"
    assert json.loads(protocol.encode(PronunciationNoted("rue", "roue", "Round lips: u.", True, 3))) == {
        "type": "pronunciation", "word": "rue", "heard_as": "roue", "tip": "Round lips: u.", "estimate": True,
        "turn": 3}  # fmt: skip
    assert json.loads(protocol.encode(StatusChanged("reconnecting"))) == {"type": "status", "state": "reconnecting"}
    assert json.loads(protocol.encode(Ended("student"), report_url="/r/")) == {
        "type": "ended", "reason": "student", "report_url": "/r/"}  # fmt: skip
