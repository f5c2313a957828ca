"""Writes of a learner's running totals per language, as each session ends."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User

from ..models import LearnerProgress, TutorSession, VocabularyEvent, VocabularyStatus


@transaction.atomic
def progress_record_session(
    *, student: User, language: str, seconds: int, words_learned: int, corrections: int, on: dt.date | None = None
) -> LearnerProgress:
    """Add one finished session to the student's totals and streak for its language."""
    day = on or timezone.localdate()
    progress, _created = LearnerProgress.objects.select_for_update().get_or_create(student=student, language=language)
    if progress.last_practised_on == day:
        streak = progress.streak_days or 1
    elif progress.last_practised_on == day - dt.timedelta(days=1):
        streak = progress.streak_days + 1
    else:
        streak = 1
    LearnerProgress.objects.filter(pk=progress.pk).update(
        seconds_practised=F("seconds_practised") + max(0, seconds),
        sessions_count=F("sessions_count") + 1,
        words_learned=F("words_learned") + max(0, words_learned),
        corrections_count=F("corrections_count") + max(0, corrections),
        streak_days=streak,
        last_practised_on=day,
    )
    progress.refresh_from_db()
    return progress


def progress_record_ended_session(*, session: TutorSession) -> None:
    """A session that started adds its time, its new words and its corrections to the learner's totals."""
    if not session.started_at:
        return
    progress_record_session(
        student=session.student,
        language=session.lesson.language.split("-")[0],
        seconds=session.practised_seconds,
        words_learned=_new_words_learned(session),
        corrections=session.corrections.count(),
    )


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
