"""Whatever a client throws at the session socket (generated frames: random bytes, broken and hostile JSON,
messages of every type with fields of every kind), each frame is answered as docs/protocol.md says or
taken as input, the socket stays open, and the session still answers a typed turn afterwards."""

import asyncio
import base64
import json

import pytest
from asgiref.sync import async_to_sync
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice.services.sessions import session_create
from tests.conftest import configure_tutor
from tests.live.conftest import SocketOpener, stop_hosts

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 25
FRAMES_PER_EXAMPLE = 40  # 25 examples of 40: 1,000 frames, each example on a fresh session
KNOWN_TYPES = ["text", "image", "mic", "playback"]  # "end" would end the session, as it should
ANSWERS = {"bad_json", "bad_message", "unknown_type", "too_large", "bad_audio", "bad_image", "too_fast"}

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
messages = st.fixed_dictionaries(
    {"type": st.sampled_from(KNOWN_TYPES) | st.text(max_size=12)},
    optional={
        "text": values,
        "mime": st.sampled_from(["image/jpeg", "image/png", "image/webp", "text/html"]) | values,
        "data": st.binary(max_size=64).map(lambda data: base64.b64encode(data).decode()) | values,
        "state": st.sampled_from(["on", "off"]) | values,
        "stream": st.booleans() | values,  # a frame of a shared camera or screen, or a bad flag
        "turn": values,
        "played_ms": values,
    },
).map(json.dumps)
broken_json = st.sampled_from(["{", "[]", "null", "42", '"x"', '{"type": 7}', "[" * 5000, '{"a": ' + "9" * 5000 + "}"])
frames = st.one_of(
    messages.map(lambda text: ("text", text)),
    broken_json.map(lambda text: ("text", text)),
    # The test client cannot send an empty frame (a browser can; it is bad_json like any other).
    st.text(min_size=1, max_size=200).map(lambda text: ("text", text)),
    st.binary(min_size=1, max_size=8000).map(lambda data: ("bytes", data)),
)


@pytest.fixture
def lenient(settings, fast_offline):
    """Generous paces: the test is about what each frame is, not about how many come at once."""
    configure_tutor(
        settings,
        audio_pace={"burst_seconds": 600.0, "close_after_seconds": 600.0},
        typing_pace={"burst": 10_000, "per_minute": 10_000.0},
        min_image_interval_seconds=0.0,
    )


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(thrown=st.lists(frames, min_size=FRAMES_PER_EXAMPLE, max_size=FRAMES_PER_EXAMPLE))
def test_a_thousand_generated_frames_leave_the_session_answering(lenient, student, lesson, thrown):
    session = session_create(student=student, lesson=lesson)
    async_to_sync(_throw)(student, session.pk, thrown)


async def _throw(student, session_id: int, thrown: list[tuple[str, str | bytes]]) -> None:
    opener = SocketOpener("/ws/sessions/{session_id}/")
    try:
        browser = await opener(student, session_id)
        await browser.message("ready")
        for kind, frame in thrown:
            if kind == "bytes":
                await browser.ws.send_to(bytes_data=frame)
            else:
                await browser.ws.send_to(text_data=frame)
        await browser.send_json({"type": "text", "text": "Je voudrais un café, s'il vous plaît"})
        async with asyncio.timeout(20):
            while True:
                message = await browser.message()
                if message["type"] == "error":
                    assert message["code"] in ANSWERS and not message["fatal"], message
                if message["type"] == "transcript" and message["role"] == "tutor" and "Et avec" in message["text"]:
                    break
    finally:
        await stop_hosts()
        await opener.close_all()
