"""Reads of a learner's practice over time: the numbers behind the dashboard and the progress page.

Weeks start on Monday in the site's time zone. Sums are done in Python over a few months of one
learner's rows, which keeps the date arithmetic identical on SQLite and PostgreSQL.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import timezone

from tutor.accounts.models import User

from .models import Correction, CorrectionCategory, SessionStatus, TutorSession, VocabularyEvent, VocabularyStatus

FINISHED = (SessionStatus.ENDED, SessionStatus.FAILED)
STREAK_LOOKBACK_DAYS = 400


@dataclass(frozen=True)
class PracticeSummary:
    streak_days: int
    minutes_this_week: int
    words_learned: int
    sessions_finished: int


@dataclass(frozen=True)
class WeeklySeries:
    """One value per week, oldest first; `weeks` holds each week's Monday."""

    weeks: tuple[dt.date, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class WeeklyCategories:
    weeks: tuple[dt.date, ...]
    by_category: dict[str, tuple[int, ...]]  # only categories that occur, in the model's order


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weeks(count: int, today: dt.date) -> tuple[dt.date, ...]:
    last = week_start(today)
    return tuple(last - dt.timedelta(weeks=count - 1 - i) for i in range(count))


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def _since(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _finished_sessions(student: User, since: dt.date):
    return TutorSession.objects.filter(
        student=student, status__in=FINISHED, started_at__isnull=False, started_at__gte=_since(since)
    ).only("started_at", "ended_at")


def streak_days(*, student: User, today: dt.date | None = None) -> int:
    """Days in a row with practice, ending today; a streak is not broken until a whole day passes without."""
    today = today or timezone.localdate()
    starts = TutorSession.objects.filter(
        student=student,
        started_at__isnull=False,
        started_at__gte=_since(today - dt.timedelta(days=STREAK_LOOKBACK_DAYS)),
    ).values_list("started_at", flat=True)
    days = {_local_day(moment) for moment in starts}
    day = today if today in days else today - dt.timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= dt.timedelta(days=1)
    return streak


def words_learned_count(*, student: User) -> int:
    return (
        VocabularyEvent.objects.filter(session__student=student, status=VocabularyStatus.LEARNED)
        .values("word")
        .distinct()
        .count()
    )


def practice_summary(*, student: User, today: dt.date | None = None) -> PracticeSummary:
    today = today or timezone.localdate()
    this_week = _finished_sessions(student, week_start(today))
    seconds = sum(session.duration_seconds for session in this_week)
    return PracticeSummary(
        streak_days=streak_days(student=student, today=today),
        minutes_this_week=round(seconds / 60),
        words_learned=words_learned_count(student=student),
        sessions_finished=TutorSession.objects.filter(student=student, status__in=FINISHED).count(),
    )


def minutes_per_week(*, student: User, weeks: int = 12, today: dt.date | None = None) -> WeeklySeries:
    labels = _weeks(weeks, today or timezone.localdate())
    seconds: Counter[dt.date] = Counter()
    for session in _finished_sessions(student, labels[0]):
        seconds[week_start(_local_day(session.started_at))] += session.duration_seconds
    return WeeklySeries(labels, tuple(round(seconds[week] / 60, 1) for week in labels))


def corrections_per_week(*, student: User, weeks: int = 12, today: dt.date | None = None) -> WeeklyCategories:
    labels = _weeks(weeks, today or timezone.localdate())
    index = {week: i for i, week in enumerate(labels)}
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(labels))
    rows = Correction.objects.filter(session__student=student, created_at__gte=_since(labels[0])).values_list(
        "category", "created_at"
    )
    for category, created_at in rows:
        week = week_start(_local_day(created_at))
        if week in index:
            counts[category][index[week]] += 1
    ordered = {c: tuple(counts[c]) for c in CorrectionCategory.values if c in counts}
    return WeeklyCategories(labels, ordered)


def words_learned_per_week(*, student: User, weeks: int = 12, today: dt.date | None = None) -> WeeklySeries:
    """The running total of distinct words learned, at the end of each week."""
    labels = _weeks(weeks, today or timezone.localdate())
    first_learned: dict[str, dt.date] = {}
    rows = (
        VocabularyEvent.objects.filter(session__student=student, status=VocabularyStatus.LEARNED)
        .order_by("created_at")
        .values_list("word", "created_at")
    )
    for word, created_at in rows:
        first_learned.setdefault(word, _local_day(created_at))
    totals = []
    for week in labels:
        end = week + dt.timedelta(days=7)
        totals.append(float(sum(1 for day in first_learned.values() if day < end)))
    return WeeklySeries(labels, tuple(totals))
