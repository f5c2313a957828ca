"""Writes of a session's life: start (or continue) one, mark it live, end it once (adding it to the
learner's progress and queueing its report and the cards it gives the deck), and end sessions abandoned by a
stopped server."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from lessons.models import Lesson
from lessons.selectors.lessons import student_may_use_lesson
from lessons.texts import site_language

from ..budgets import tutor_for_new_session
from ..models import UNFINISHED, EndReason, SessionReport, SessionStatus, TutorSession
from ..signals import session_ended
from .deck import deck_update_task
from .progress import progress_record_ended_session
from .reports import report_write_task


def session_start(*, student: User, lesson: Lesson, reader_language: str = "") -> tuple[TutorSession, bool]:
    """The student's unfinished session of this lesson, so a double click, a second tab or "Continue" carries
    on where it stopped; else a new one. Returns (session, created)."""
    existing = (
        TutorSession.objects.filter(student=student, lesson=lesson, status__in=UNFINISHED)
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing, False
    return session_create(student=student, lesson=lesson, reader_language=reader_language), True


def session_create(*, student: User, lesson: Lesson, reader_language: str = "") -> TutorSession:
    """A new session of a lesson the student may use, on the provider and model this site gives it (the
    offline tutor once a budget is spent; budgets.BudgetSpent when the site refuses then). `reader_language`: the
    language the student reads the site in (the page's), which its report and word cards are written in; by
    default their own."""
    if not student_may_use_lesson(student=student, lesson=lesson):
        raise PermissionDenied(_("This lesson is not open to you."))
    with transaction.atomic():  # the budgets' check and the start, one step (budgets.py)
        tutor = tutor_for_new_session(
            student=student, minutes=lesson.max_minutes, lesson_provider=lesson.provider, lesson_model=lesson.model
        )
        return TutorSession.objects.create(
            student=student,
            lesson=lesson,
            provider=tutor.provider,
            model=tutor.model,
            offline_for_budget=tutor.offline_for_budget,
            reserved_usd=tutor.reserved_usd,
            reader_language=site_language(reader_language) or student.reading_language,
        )


def session_mark_live(*, session_id: int) -> None:
    """The first connection starts the clock; a reconnect keeps the original start."""
    now = timezone.now()
    TutorSession.objects.filter(pk=session_id, started_at__isnull=True).update(started_at=now)
    TutorSession.objects.filter(pk=session_id, status=SessionStatus.CREATED).update(status=SessionStatus.LIVE)


def session_provider_switch(*, session_id: int, provider: str, model: str) -> None:
    """The session goes on with another provider (its own failed): new usage rows and a continuation
    on another server use this one."""
    TutorSession.objects.filter(pk=session_id).update(provider=provider, model=model)


@transaction.atomic
def session_end(*, session_id: int, reason: str, failed: bool = False) -> TutorSession:
    """Close the session once; add it to the learner's progress and queue its report and its cards."""
    session = TutorSession.objects.select_for_update().select_related("lesson", "student").get(pk=session_id)
    if session.status in (SessionStatus.ENDED, SessionStatus.FAILED):
        return session
    session.status = SessionStatus.FAILED if failed else SessionStatus.ENDED
    session.end_reason = reason if reason in EndReason.values else EndReason.DISCONNECTED
    session.ended_at = timezone.now()
    session.save(update_fields=["status", "end_reason", "ended_at"])
    progress_record_ended_session(session=session)
    SessionReport.objects.get_or_create(session=session)
    report_write_task.delay_on_commit(session.pk)
    deck_update_task.delay_on_commit(session.pk)
    session_ended.send(sender=TutorSession, session=session)  # a learning platform's grade (lti/), for one
    return session


def sessions_end_stale(*, idle_for: dt.timedelta) -> int:
    """End live sessions nobody has spoken in for `idle_for`: their server stopped or crashed and no
    browser came back. They get their progress and report like any other ended session."""
    cutoff = timezone.now() - idle_for
    stale = (
        TutorSession.objects.filter(status__in=UNFINISHED, created_at__lt=cutoff)
        .exclude(turns__ended_at__gte=cutoff)
        .values_list("pk", flat=True)
    )
    ended = 0
    for session_id in list(stale):
        session_end(session_id=session_id, reason=EndReason.DISCONNECTED)
        ended += 1
    return ended


@shared_task
def sessions_end_stale_task() -> int:
    """Celery beat runs it every ten minutes (config/settings/celery.py)."""
    return sessions_end_stale(idle_for=dt.timedelta(minutes=settings.TUTOR.stale_after_minutes))
