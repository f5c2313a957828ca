"""The live path's numbers: what a socket meters (frames, the wait for the tutor's voice) and what a session
of the offline tutor leaves in the process's counters from start to end."""

import array

import pytest
from channels.db import database_sync_to_async
from prometheus_client import REGISTRY

from live.metrics import FLUSH_FRAMES, SessionMeter, SocketMeter, sample
from practice.services.sessions import session_create
from tests.live.conftest import eventually
from tutor.events import AudioOut, Ended, Interrupted, StatusChanged, TranscriptUpdate, TurnCompleted

SILENCE = bytes(640)
SPEECH = array.array("h", [3000, -3000] * 160).tobytes()


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_wait_runs_from_the_last_voiced_frame_to_the_tutors_first_audio():
    clock = Clock()
    meter = SocketMeter(lambda: "probe-a", clock)
    meter.audio_in(SPEECH)
    clock.now += 1.0
    meter.audio_in(SPEECH)  # the student still speaks: the wait starts from here
    clock.now += 0.3
    meter.audio_in(SILENCE)  # silence does not move it
    clock.now += 0.5
    meter.sent(AudioOut(pcm=b"\0\0"))
    clock.now += 0.2
    meter.sent(AudioOut(pcm=b"\0\0"))  # the rest of the reply is not another wait
    assert value("tutor_reply_seconds_count", provider="probe-a") == 1
    assert value("tutor_reply_seconds_sum", provider="probe-a") == pytest.approx(0.8)


def test_speech_over_the_tutor_is_no_turn_until_the_tutor_stops():
    clock = Clock()
    meter = SocketMeter(lambda: "probe-b", clock)
    meter.sent(AudioOut(pcm=b"\0\0"))  # the greeting, which answers nothing
    meter.audio_in(SPEECH)  # a sound while it speaks
    meter.sent(AudioOut(pcm=b"\0\0"))
    assert value("tutor_reply_seconds_count", provider="probe-b") == 0
    meter.sent(Interrupted())  # the student barged in: from now on they hold the turn
    meter.audio_in(SPEECH)
    clock.now += 1.5
    meter.sent(AudioOut(pcm=b"\0\0"))
    meter.sent(TurnCompleted(turn=2))
    meter.text_in(typed=True)  # a typed turn ends where it is sent
    clock.now += 0.25
    meter.sent(AudioOut(pcm=b"\0\0"))
    assert value("tutor_reply_seconds_count", provider="probe-b") == 2
    assert value("tutor_reply_seconds_sum", provider="probe-b") == pytest.approx(1.75)


def test_frames_reach_the_counters_in_batches_and_when_the_socket_closes():
    meter = SocketMeter(lambda: "probe-c")
    before = value("tutor_frames_total", direction="in", kind="audio")
    for _ in range(FLUSH_FRAMES + 3):
        meter.audio_in(SILENCE)
    assert value("tutor_frames_total", direction="in", kind="audio") == before + FLUSH_FRAMES
    meter.sent(TranscriptUpdate(role="tutor", turn=0, text="Bonjour", final=False))
    meter.flush()
    assert value("tutor_frames_total", direction="in", kind="audio") == before + FLUSH_FRAMES + 3
    assert value("tutor_frames_total", direction="out", kind="text") >= 1


@pytest.mark.django_db(transaction=True)
async def test_a_session_is_counted_live_its_frames_and_wait_then_ended(connect, student, lesson, fast_offline):
    session = await database_sync_to_async(session_create)(student=student, lesson=lesson)
    sent_before = value("tutor_frames_total", direction="out", kind="audio")
    waits_before = value("tutor_reply_seconds_count", provider="offline")
    ended_before = value("tutor_sessions_ended_total", reason="student")
    browser = await connect(student, session.pk)
    await browser.message("turn_complete")  # the greeting
    assert value("tutor_live_sessions", provider="offline") == 1
    await browser.send_json({"type": "text", "text": "Je voudrais un café, s'il vous plaît"})
    await browser.message("turn_complete")
    await browser.send_json({"type": "end"})
    await browser.message("ended")
    assert await browser.closed_with() == 1000
    await browser.ws.disconnect()
    assert await eventually(lambda: value("tutor_sessions_ended_total", reason="student") == ended_before + 1)
    assert await eventually(lambda: value("tutor_live_sessions", provider="offline") == 0)
    assert value("tutor_reply_seconds_count", provider="offline") == waits_before + 1
    assert value("tutor_frames_total", direction="out", kind="audio") > sent_before


async def test_replaced_connections_and_ends_are_counted_by_provider_and_reason():
    provider = ["probe-d"]
    meter = SessionMeter(lambda: provider[0])
    for state in ("live", "switching", "live", "reconnecting", "failover"):
        if state == "failover":
            provider[0] = "probe-e"  # the runner has moved on to the next provider when it says so
        await meter(StatusChanged(state))
    await meter(Ended(reason="probe-reason"))
    assert value("tutor_connection_changes_total", provider="probe-d", kind="switch") == 1
    assert value("tutor_connection_changes_total", provider="probe-d", kind="reconnect") == 1
    assert value("tutor_connection_changes_total", provider="probe-e", kind="failover") == 1
    assert value("tutor_sessions_ended_total", reason="probe-reason") == 1


class Hosted:
    def __init__(self, provider: str, waiting: int, failures: int) -> None:
        self.provider, self.writes_waiting, self.failures = provider, waiting, failures

    def take_write_failures(self) -> int:
        new, self.failures = self.failures, 0
        return new


def test_a_sample_counts_sessions_per_provider_writes_waiting_and_new_failures():
    failed_before = value("tutor_write_failures_total")
    sample([Hosted("probe-f", 3, 1), Hosted("probe-f", 2, 0), Hosted("probe-g", 0, 2)])
    assert value("tutor_live_sessions", provider="probe-f") == 2
    assert value("tutor_live_sessions", provider="probe-g") == 1
    assert value("tutor_write_queue_depth") == 5
    assert value("tutor_write_failures_total") == failed_before + 3
    gone = Hosted("probe-g", 0, 4)
    sample([Hosted("probe-f", 0, 0)], gone=[gone])  # a provider with no session left reads 0
    assert value("tutor_live_sessions", provider="probe-g") == 0
    assert value("tutor_write_queue_depth") == 0
    assert value("tutor_write_failures_total") == failed_before + 7
