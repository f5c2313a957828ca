"""Sessions as tests need them: recorded conversations for summaries and reports, and finished sessions
with everything a teacher's review shows."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from practice.models import ContextSummary, TutorSession, UsageRecord
from practice.services.recording import note_record, turn_record, usage_record
from practice.services.sessions import session_create, session_end, session_mark_live
from tutor.events import CorrectionNoted, ObjectiveMet, TokenUsage, VocabularyNoted

RULE = "Conjugation of «vouloir»: «voudrais», not «voudrait»."  # the rule of the correction a session has
EXCHANGES = [
    ("Bonjour ! Qu'est-ce que vous voulez boire ?", "Je voudrait un café, s'il vous plaît"),
    ("Presque ! On dit : je voudrais un café. Et avec ça ?", "Un croissant, s'il vous plaît"),
    ("Très bien. Autre chose ?", "Non merci, l'addition s'il vous plaît"),
    ("Voilà l'addition. Vous payez comment ?", "Par carte"),
]


def recorded_session(student, lesson, *, exchanges: int = 4, minutes: int = 6) -> TutorSession:
    """A finished-looking session: alternating tutor/student turns, one grammar correction, words."""
    session = session_create(student=student, lesson=lesson)
    session_mark_live(session_id=session.pk)
    start = timezone.now() - dt.timedelta(minutes=minutes)
    TutorSession.objects.filter(pk=session.pk).update(started_at=start)
    index = 0
    for round_ in range(exchanges):
        tutor_line, student_line = EXCHANGES[round_ % len(EXCHANGES)]
        for role, text in (("tutor", tutor_line), ("student", student_line)):
            at = start + dt.timedelta(seconds=20 * index)
            turn_record(session_id=session.pk, index=index, role=role, text=text, started_at=at, ended_at=at)
            index += 1
    note_record(
        session_id=session.pk,
        note=CorrectionNoted(
            original="Je voudrait",
            corrected="Je voudrais",
            explanation="first person: -s",
            category="grammar",
            turn=1,
            rule=RULE,
        ),
    )
    note_record(session_id=session.pk, note=VocabularyNoted(word="un café", status="used", turn=1))
    note_record(session_id=session.pk, note=VocabularyNoted(word="l'addition", status="learned", turn=5))
    note_record(session_id=session.pk, note=ObjectiveMet(objective="Order a drink"))
    session.refresh_from_db()
    return session


def reviewable_session(student, lesson, *, minutes: int = 5, objectives_met=(), when=None) -> TutorSession:
    """A session that ran `minutes`, with two turns, a correction and a learned word."""
    session = session_create(student=student, lesson=lesson)
    start = when or timezone.now() - dt.timedelta(minutes=minutes + 1)
    TutorSession.objects.filter(pk=session.pk).update(status="live", started_at=start, created_at=start)
    turn_record(
        session_id=session.pk, index=0, role="tutor", text="Bonjour ! Qu'est-ce que vous voulez boire ?",
        started_at=start, ended_at=start,
    )  # fmt: skip
    turn_record(
        session_id=session.pk, index=1, role="student", text="Je voudrait un café",
        started_at=start, ended_at=start,
    )  # fmt: skip
    note_record(
        session_id=session.pk,
        note=CorrectionNoted(
            original="Je voudrait",
            corrected="Je voudrais",
            explanation="First person ends in -s.",
            category="grammar",
            turn=1,
        ),
    )
    note_record(session_id=session.pk, note=VocabularyNoted(word="un café", status="learned", turn=1))
    for objective in objectives_met:
        note_record(session_id=session.pk, note=ObjectiveMet(objective=objective))
    usage_record(
        session_id=session.pk, provider="openai", model="gpt-realtime", tokens=TokenUsage(text_in=100, audio_in=900)
    )
    ContextSummary.objects.create(session=session, through_turn=1, text="They ordered a coffee.", tokens=8)
    session_end(session_id=session.pk, reason="student")
    # session_end stamps now as the end; put the end where this session really ended.
    TutorSession.objects.filter(pk=session.pk).update(ended_at=start + dt.timedelta(minutes=minutes))
    return TutorSession.objects.get(pk=session.pk)


def spent(student, lesson, usd: str | None, *, when: dt.datetime | None = None) -> UsageRecord:
    """Usage that cost `usd` (None: unpriced) in a new session of this student, at `when` (default now)."""
    session = TutorSession.objects.create(student=student, lesson=lesson, provider="gemini", model="gemini-3.8-live")
    row = UsageRecord.objects.create(
        session=session, provider="gemini", model="gemini-3.8-live", total_tokens=1000,
        cost_usd=None if usd is None else Decimal(usd),
    )  # fmt: skip
    if when is not None:
        UsageRecord.objects.filter(pk=row.pk).update(created_at=when)
    return row


def budget(classroom, usd: str | None) -> None:
    """Give the class a monthly budget (None: none)."""
    classroom.monthly_budget_usd = None if usd is None else Decimal(usd)
    classroom.save(update_fields=["monthly_budget_usd"])
