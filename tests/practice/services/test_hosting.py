"""One host per session: each process that takes it up gets a new epoch, and a write under an older one is
refused (the runner it belongs to has been taken over from)."""

import pytest

from practice.models import Turn, TutorSession
from practice.services.hosting import (
    session_host_channel,
    session_host_claim,
    session_host_release,
    session_write_fenced,
)
from practice.services.recording import turn_record
from practice.services.sessions import session_create, session_end
from tutor.session.store import Fenced

from ..factories import recorded_session


def test_a_runner_taken_over_from_can_neither_write_nor_end_the_session(student, lesson):
    session = session_create(student=student, lesson=lesson)
    first = session_host_claim(session_id=session.pk, channel="process-a")
    second = session_host_claim(session_id=session.pk, channel="process-b")
    assert (first, second) == (1, 2) and session_host_channel(session_id=session.pk) == "process-b"
    turn = recorded_session(student, lesson).turns.first()  # a turn's fields, to write into this session
    fields = {"session_id": session.pk, "index": 0, "role": "tutor", "text": "Bonjour",
              "started_at": turn.started_at, "ended_at": turn.ended_at}  # fmt: skip
    with pytest.raises(Fenced):
        session_write_fenced(epoch=first, write=turn_record, **fields)
    with pytest.raises(Fenced):
        session_write_fenced(epoch=first, write=session_end, session_id=session.pk, reason="disconnected")
    session_write_fenced(epoch=second, write=turn_record, **fields)
    assert Turn.objects.filter(session=session).count() == 1
    assert TutorSession.objects.get(pk=session.pk).status != "ended"


def test_only_the_current_host_clears_its_record_when_it_is_done(student, lesson):
    session = session_create(student=student, lesson=lesson)
    first = session_host_claim(session_id=session.pk, channel="process-a")
    session_host_claim(session_id=session.pk, channel="process-b")
    session_host_release(session_id=session.pk, epoch=first)
    assert session_host_channel(session_id=session.pk) == "process-b"
    session_host_release(session_id=session.pk, epoch=2)
    assert session_host_channel(session_id=session.pk) == ""
