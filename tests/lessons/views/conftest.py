"""Fixtures for the teacher's pages: a finished session with everything a review shows."""

import datetime as dt

import pytest
from django.utils import timezone

from tutor import services
from tutor.live.events import TokenUsage
from tutor.models import ContextSummary, SessionReport, TutorSession


def finished_session(student, lesson, *, minutes: int = 5, objectives_met=(), when=None) -> TutorSession:
    """A session that ran `minutes`, with two turns, a correction and a learned word."""
    session = services.session_create(student=student, lesson=lesson)
    start = when or timezone.now() - dt.timedelta(minutes=minutes + 1)
    TutorSession.objects.filter(pk=session.pk).update(status="live", started_at=start, created_at=start)
    services.turn_record(
        session_id=session.pk, index=0, role="tutor", text="Bonjour ! Qu'est-ce que vous voulez boire ?",
        started_at=start, ended_at=start,
    )  # fmt: skip
    services.turn_record(
        session_id=session.pk, index=1, role="student", text="Je voudrait un café",
        started_at=start, ended_at=start,
    )  # fmt: skip
    services.correction_record(
        session_id=session.pk, turn_index=1, original="Je voudrait", corrected="Je voudrais",
        explanation="First person ends in -s.", category="grammar",
    )  # fmt: skip
    services.vocabulary_record(session_id=session.pk, turn_index=1, word="un café", status="learned")
    for objective in objectives_met:
        services.objective_record(session_id=session.pk, objective=objective)
    services.usage_record(
        session_id=session.pk, provider="openai", model="gpt-realtime", tokens=TokenUsage(text_in=100, audio_in=900)
    )
    ContextSummary.objects.create(session=session, through_turn=1, text="They ordered a coffee.", tokens=8)
    services.session_end(session_id=session.pk, reason="student")
    # session_end stamps now as the end; put the end where this session really ended.
    TutorSession.objects.filter(pk=session.pk).update(ended_at=start + dt.timedelta(minutes=minutes))
    return TutorSession.objects.get(pk=session.pk)


@pytest.fixture
def reviewed(classroom, student, lesson) -> TutorSession:
    """A finished session of the class's student, with a ready report."""
    session = finished_session(student, lesson)
    SessionReport.objects.filter(session=session).update(
        status="ready", summary="A good start.", strengths=["Greetings"], weak_points=["Verb endings"]
    )
    return session


@pytest.fixture
def outsider_session(other_student, lesson) -> TutorSession:
    """A session of a student in nobody's class."""
    return finished_session(other_student, lesson)
