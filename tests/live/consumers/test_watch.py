"""SessionWatchConsumer: a teacher's read-only live view of a session, over the channel layer."""

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from practice.models import SessionStatus
from practice.services.recording import note_record, turn_record
from practice.services.sessions import session_create, session_end, session_mark_live
from tests.live.conftest import SocketOpener
from tutor import protocol
from tutor.events import CorrectionNoted, Ended, TranscriptUpdate
from tutor.session import control

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def watch():
    opener = SocketOpener("/ws/watch/{session_id}/")
    yield opener
    await opener.close_all()


@pytest.fixture
def live_session(classroom, student, lesson):
    """A live session of the class's student, with its greeting, an answer and a correction written."""
    session = session_create(student=student, lesson=lesson)
    session_mark_live(session_id=session.pk)
    now = session.created_at
    turn_record(session_id=session.pk, index=0, role="tutor", text="Bonjour !", started_at=now, ended_at=now)
    turn_record(
        session_id=session.pk, index=1, role="student", text="Je voudrait un café", started_at=now, ended_at=now
    )
    note_record(
        session_id=session.pk,
        note=CorrectionNoted(original="voudrait", corrected="voudrais", explanation="-s", category="grammar", turn=1),
    )
    return session


async def publish(session_id: int, event) -> None:
    """What the session's host does with each event, from whichever process runs the session."""
    await get_channel_layer().group_send(
        control.watch_group(session_id),
        control.encode(control.WatchEvent(frame=protocol.encode(event), last=isinstance(event, Ended))),
    )


async def test_the_teacher_gets_the_transcript_so_far_then_each_event_as_it_happens(watch, live_session, teacher):
    viewer = await watch(teacher, live_session.pk)
    hello = await viewer.message()
    assert hello == {
        "type": "watching", "session": live_session.pk, "student": "Ana", "lesson": "Café in Lyon", "status": "live",
    }  # fmt: skip
    assert await viewer.message() == {
        "type": "transcript",
        "role": "tutor",
        "turn": 0,
        "text": "Bonjour !",
        "final": True,
    }
    assert (await viewer.message())["text"] == "Je voudrait un café"
    assert (await viewer.message())["corrected"] == "voudrais"
    await publish(live_session.pk, TranscriptUpdate(role="tutor", turn=2, text="Très bien", final=False))
    assert await viewer.message() == {
        "type": "transcript",
        "role": "tutor",
        "turn": 2,
        "text": "Très bien",
        "final": False,
    }


async def test_an_event_already_sent_from_the_database_is_not_sent_twice(watch, live_session, teacher):
    viewer = await watch(teacher, live_session.pk)
    for _ in range(4):
        await viewer.message()
    # The host published the correction just after the teacher joined, before the database had it read.
    await publish(live_session.pk, CorrectionNoted("voudrait", "voudrais", "-s", "grammar", 1))
    await publish(live_session.pk, CorrectionNoted("un", "une", "gender", "grammar", 3))
    assert (await viewer.message())["corrected"] == "une"


async def test_the_view_closes_when_the_session_ends(watch, live_session, teacher):
    viewer = await watch(teacher, live_session.pk)
    await viewer.message("watching")  # sent once the view listens on the group
    await publish(live_session.pk, Ended(reason="time_limit"))
    assert await viewer.message("ended") == {"type": "ended", "reason": "time_limit"}
    assert await viewer.closed_with() == 1000


async def test_an_ended_session_sends_all_of_it_then_ended(watch, live_session, teacher):
    await database_sync_to_async(session_end)(session_id=live_session.pk, reason="student")
    viewer = await watch(teacher, live_session.pk)
    assert (await viewer.message())["status"] == SessionStatus.ENDED
    assert (await viewer.message("ended"))["reason"] == "student"
    assert await viewer.closed_with() == 1000


async def test_the_student_other_students_other_teachers_and_visitors_are_refused(
    watch, live_session, student, other_student, other_teacher
):
    for user in (student, other_student, other_teacher, None):
        viewer = await watch(user, live_session.pk)
        error = await viewer.message("error")
        assert (error["code"], error["fatal"]) == ("forbidden", True)
        assert await viewer.closed_with() == 4403
    viewer = await watch(other_teacher, 999_999)
    assert await viewer.closed_with() == 4403


async def test_a_refused_viewer_hears_nothing_of_the_session(watch, live_session, other_teacher):
    viewer = await watch(other_teacher, live_session.pk)
    await viewer.message("error")
    await publish(live_session.pk, TranscriptUpdate(role="student", turn=2, text="secret", final=True))
    assert await viewer.closed_with() == 4403
    assert await viewer.ws.receive_nothing(timeout=0.2)


async def test_staff_may_watch_any_session(watch, live_session, staff):
    viewer = await watch(staff, live_session.pk)
    assert (await viewer.message())["type"] == "watching"


async def test_a_foreign_origin_is_refused_at_the_handshake(watch, live_session, teacher):
    await watch(teacher, live_session.pk, origin=(b"origin", b"https://evil.example"), expect_accept=False)


async def test_the_view_is_read_only(watch, live_session, teacher):
    viewer = await watch(teacher, live_session.pk)
    await viewer.send_json({"type": "text", "text": "Psst"})
    error = await viewer.message("error")
    assert (error["code"], error["fatal"]) == ("bad_message", False)


async def test_a_real_offline_session_is_seen_live_by_the_teacher(connect, watch, classroom, student, lesson, teacher):
    session = await database_sync_to_async(session_create)(student=student, lesson=lesson)
    browser = await connect(student, session.pk)
    await browser.message("turn_complete")  # the greeting
    viewer = await watch(teacher, session.pk)
    assert (await viewer.message())["type"] == "watching"
    await browser.send_json({"type": "text", "text": "Je voudrait un café, s'il vous plaît"})
    seen = []
    while not any(m["type"] == "correction" for m in seen) or not any(
        m["type"] == "transcript" and m["role"] == "tutor" and m["final"] and m["turn"] > 1 for m in seen
    ):
        seen.append(await viewer.message())
    said = [m for m in seen if m["type"] == "transcript" and m["role"] == "student"]
    assert said[-1]["text"] == "Je voudrait un café, s'il vous plaît" and said[-1]["final"]
    assert [m["corrected"] for m in seen if m["type"] == "correction"] == ["Je voudrais un café, s'il vous plaît"]
    assert not any(m["type"] == "error" for m in seen)
    await browser.send_json({"type": "end"})
    assert (await viewer.message("ended"))["reason"] == "student"
    assert await viewer.closed_with() == 1000
