"""Builders for finished sessions with turns, corrections and words, dated as a test needs."""

import datetime as dt

from django.utils import timezone

from practice.models import Correction, SessionStatus, TutorSession, VocabularyEvent
from practice.services.recording import note_record, turn_record
from practice.services.sessions import session_create
from tutor.events import CorrectionNoted, VocabularyNoted


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def finished_session(student, lesson, *, day: dt.date, minutes: float = 5, status=SessionStatus.ENDED) -> TutorSession:
    session = session_create(student=student, lesson=lesson)
    started = at(day)
    TutorSession.objects.filter(pk=session.pk).update(
        status=status, started_at=started, ended_at=started + dt.timedelta(minutes=minutes), end_reason="student"
    )
    session.refresh_from_db()
    return session


def turn(session, index: int, role: str, text: str) -> None:
    now = timezone.now()
    turn_record(session_id=session.pk, index=index, role=role, text=text, started_at=now, ended_at=now)


def correction(
    session, turn_index: int | None, *, category="grammar", day: dt.date | None = None, rule: str = ""
) -> Correction:
    made = note_record(
        session_id=session.pk,
        note=CorrectionNoted(
            original="Je voudrait un café",
            corrected="Je voudrais un café",
            explanation="«voudrait» should be «voudrais» here.",
            category=category,
            turn=turn_index,
            rule=rule,
        ),
    )
    if day is not None:
        Correction.objects.filter(pk=made.pk).update(created_at=at(day))
    return made


def word(session, term: str, status: str, *, day: dt.date | None = None) -> VocabularyEvent:
    event = note_record(session_id=session.pk, note=VocabularyNoted(word=term, status=status, turn=None))
    if day is not None:
        VocabularyEvent.objects.filter(pk=event.pk).update(created_at=at(day))
    return event
