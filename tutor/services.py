"""Writes for live sessions. The runner's store, views and Celery tasks all come through here."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import Lesson
from lessons.selectors import student_may_use_lesson
from lessons.services import progress_record_session
from tutor.accounts.models import User

from . import provider_settings
from .live.events import TokenUsage
from .models import (
    Correction,
    CorrectionCategory,
    EndReason,
    SessionComment,
    SessionReport,
    SessionStatus,
    Turn,
    TutorSession,
    UsageRecord,
    VocabularyEvent,
    VocabularyStatus,
)
from .pricing import cost_usd


def session_create(*, student: User, lesson: Lesson) -> TutorSession:
    if not student_may_use_lesson(student=student, lesson=lesson):
        raise PermissionDenied(_("This lesson is not open to you."))
    provider = provider_settings.provider_for_lesson(lesson.provider)
    return TutorSession.objects.create(
        student=student, lesson=lesson, provider=provider, model=provider_settings.live_model(provider)
    )


def session_mark_live(*, session_id: int) -> None:
    """The first connection starts the clock; a reconnect keeps the original start."""
    now = timezone.now()
    TutorSession.objects.filter(pk=session_id, started_at__isnull=True).update(started_at=now)
    TutorSession.objects.filter(pk=session_id, status=SessionStatus.CREATED).update(status=SessionStatus.LIVE)


def turn_record(
    *,
    session_id: int,
    index: int,
    role: str,
    text: str,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    audio_ms: int = 0,
    interrupted: bool = False,
) -> Turn:
    """Idempotent on (session, index): a retried write replaces, never duplicates."""
    turn, _created = Turn.objects.update_or_create(
        session_id=session_id,
        index=index,
        defaults={
            "role": role,
            "text": text,
            "started_at": started_at,
            "ended_at": ended_at,
            "audio_ms": audio_ms,
            "interrupted": interrupted,
        },
    )
    return turn


def correction_record(
    *, session_id: int, turn_index: int | None, original: str, corrected: str, explanation: str, category: str
) -> Correction:
    if category not in CorrectionCategory.values:
        category = CorrectionCategory.OTHER
    return Correction.objects.create(
        session_id=session_id,
        turn_index=turn_index,
        original=original,
        corrected=corrected,
        explanation=explanation,
        category=category,
    )


def vocabulary_record(*, session_id: int, turn_index: int | None, word: str, status: str) -> VocabularyEvent:
    if status not in VocabularyStatus.values:
        raise ValueError(f"unknown vocabulary status {status!r}")
    return VocabularyEvent.objects.create(session_id=session_id, turn_index=turn_index, word=word, status=status)


def objective_record(*, session_id: int, objective: str) -> None:
    with transaction.atomic():
        session = TutorSession.objects.select_for_update().get(pk=session_id)
        if objective not in session.objectives_met:
            session.objectives_met = [*session.objectives_met, objective]
            session.save(update_fields=["objectives_met"])


def usage_record(
    *, session_id: int, provider: str, model: str, tokens: TokenUsage, purpose: str = "live"
) -> UsageRecord:
    return UsageRecord.objects.create(
        session_id=session_id,
        provider=provider,
        model=model,
        purpose=purpose,
        text_in_tokens=tokens.text_in,
        audio_in_tokens=tokens.audio_in,
        image_in_tokens=tokens.image_in,
        cached_in_tokens=tokens.cached_in,
        text_out_tokens=tokens.text_out,
        audio_out_tokens=tokens.audio_out,
        total_tokens=tokens.total,
        cost_usd=cost_usd(model, tokens),
    )


def resumption_handle_save(*, session_id: int, handle: str) -> None:
    TutorSession.objects.filter(pk=session_id).update(resumption_handle=handle)


@transaction.atomic
def session_end(*, session_id: int, reason: str, failed: bool = False) -> TutorSession:
    """Close the session once; add it to the learner's progress and queue its report."""
    session = TutorSession.objects.select_for_update().select_related("lesson", "student").get(pk=session_id)
    if session.status in (SessionStatus.ENDED, SessionStatus.FAILED):
        return session
    session.status = SessionStatus.FAILED if failed else SessionStatus.ENDED
    session.end_reason = reason if reason in EndReason.values else EndReason.DISCONNECTED
    session.ended_at = timezone.now()
    session.save(update_fields=["status", "end_reason", "ended_at"])
    if session.started_at:
        progress_record_session(
            student=session.student,
            language=session.lesson.language.split("-")[0],
            seconds=int(session.duration_seconds),
            words_learned=_new_words_learned(session),
            corrections=session.corrections.count(),
        )
    SessionReport.objects.get_or_create(session=session)
    from .tasks import build_session_report

    build_session_report.delay_on_commit(session.pk)
    return session


def _new_words_learned(session: TutorSession) -> int:
    """Words marked learned in this session that no earlier session of the student's had marked."""
    learned = set(session.vocabulary_events.filter(status=VocabularyStatus.LEARNED).values_list("word", flat=True))
    if not learned:
        return 0
    earlier = set(
        VocabularyEvent.objects.filter(
            session__student_id=session.student_id, status=VocabularyStatus.LEARNED, word__in=learned
        )
        .exclude(session=session)
        .values_list("word", flat=True)
    )
    return len(learned - earlier)


def sessions_end_stale(*, idle_for: dt.timedelta) -> int:
    """End live sessions nobody has spoken in for `idle_for`: their server stopped or crashed and no
    browser came back. They get their progress and report like any other ended session."""
    cutoff = timezone.now() - idle_for
    stale = (
        TutorSession.objects.filter(status__in=[SessionStatus.LIVE, SessionStatus.CREATED], created_at__lt=cutoff)
        .exclude(turns__ended_at__gte=cutoff)
        .values_list("pk", flat=True)
    )
    ended = 0
    for session_id in list(stale):
        session_end(session_id=session_id, reason=EndReason.DISCONNECTED)
        ended += 1
    return ended


def comment_create(*, session: TutorSession, author: User, text: str) -> SessionComment:
    text = text.strip()
    if not text:
        raise ValueError("empty comment")
    return SessionComment.objects.create(session=session, author=author, text=text)
