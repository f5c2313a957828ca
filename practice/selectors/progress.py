"""Reads of practice over time: a learner's numbers (the dashboard, the progress page, totals by language)
and a class's (per student, and per assigned lesson: completed, tried, not started).

Weeks start on Monday in the site's time zone. Sums are done in Python over a few months of one
learner's rows, which keeps the date arithmetic identical on SQLite and PostgreSQL.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.selectors import BY_NAME
from lessons.models import Assignment, Classroom, Lesson

from ..models import (
    FINISHED,
    Correction,
    CorrectionCategory,
    LearnerProgress,
    SessionStatus,
    TutorSession,
    VocabularyEvent,
    VocabularyStatus,
)

STREAK_LOOKBACK_DAYS = 400


@dataclass(frozen=True)
class PracticeSummary:
    streak_days: int
    seconds_this_week: float
    words_learned: int
    sessions_finished: int


@dataclass(frozen=True)
class WeeklySeries:
    """One value per week, oldest first; `weeks` holds each week's Monday. None: nothing to measure that week."""

    weeks: tuple[dt.date, ...]
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class WeeklyCategories:
    weeks: tuple[dt.date, ...]
    by_category: dict[str, tuple[int, ...]]  # only categories that occur, in the model's order


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weeks_ending(count: int, today: dt.date) -> tuple[dt.date, ...]:
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
    seconds = sum(session.practised_seconds for session in this_week)
    return PracticeSummary(
        streak_days=streak_days(student=student, today=today),
        seconds_this_week=seconds,
        words_learned=words_learned_count(student=student),
        sessions_finished=TutorSession.objects.filter(student=student, status__in=FINISHED).count(),
    )


def minutes_per_week(*, student: User, weeks: int = 12, today: dt.date | None = None) -> WeeklySeries:
    labels = weeks_ending(weeks, today or timezone.localdate())
    seconds: Counter[dt.date] = Counter()
    for session in _finished_sessions(student, labels[0]):
        seconds[week_start(_local_day(session.started_at))] += session.practised_seconds
    return WeeklySeries(labels, tuple(seconds[week] / 60 for week in labels))


def corrections_per_week(*, student: User, weeks: int = 12, today: dt.date | None = None) -> WeeklyCategories:
    labels = weeks_ending(weeks, today or timezone.localdate())
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
    labels = weeks_ending(weeks, today or timezone.localdate())
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


def progress_by_language(*, student: User) -> QuerySet[LearnerProgress]:
    """The learner's running totals, one row a language, most recently practised first."""
    return LearnerProgress.objects.filter(student=student).order_by("-last_practised_on")


# ---- a class ---------------------------------------------------------------------------------------

TOP_CATEGORIES = 3


@dataclass(frozen=True)
class StudentProgress:
    student: User
    sessions: int
    seconds: float
    words_learned: int
    corrections: dict[str, int]  # category value -> count

    @property
    def top_categories(self) -> list[tuple[str, int]]:
        """The most common kinds of mistake, as (label, count), most frequent first."""
        ranked = sorted(self.corrections.items(), key=lambda item: (-item[1], item[0]))[:TOP_CATEGORIES]
        return [(CorrectionCategory(value).label, count) for value, count in ranked]


@dataclass(frozen=True)
class LessonCompletion:
    lesson: Lesson
    due_at: dt.datetime | None
    completed: int
    attempted: int  # started but not completed
    not_started: int


@dataclass(frozen=True)
class ClassProgress:
    classroom: Classroom
    since: dt.datetime | None
    students: list[StudentProgress]
    lessons: list[LessonCompletion]

    @property
    def categories(self) -> list[str]:
        """The correction categories anyone in the class got, in the model's order."""
        seen = {value for s in self.students for value in s.corrections}
        return [value for value in CorrectionCategory.values if value in seen]


def class_progress(*, classroom: Classroom, since: dt.datetime | None = None) -> ClassProgress:
    students = list(User.objects.filter(enrollments__classroom=classroom).order_by(*BY_NAME))
    return ClassProgress(
        classroom=classroom,
        since=since,
        students=_per_student(students, since),
        lessons=_per_lesson(classroom, students),
    )


def _per_student(students: list[User], since: dt.datetime | None) -> list[StudentProgress]:
    sessions = TutorSession.objects.filter(student__in=students, started_at__isnull=False)
    if since is not None:
        sessions = sessions.filter(started_at__gte=since)
    seconds: dict[int, float] = defaultdict(float)
    counts: Counter[int] = Counter()
    for row in sessions.values("student_id", "started_at", "ended_at"):
        counts[row["student_id"]] += 1
        if row["ended_at"]:  # as TutorSession.practised_seconds counts a session
            seconds[row["student_id"]] += round(max(0.0, (row["ended_at"] - row["started_at"]).total_seconds()))
    words: dict[int, set[str]] = defaultdict(set)
    for student_id, word in VocabularyEvent.objects.filter(session__in=sessions, status="learned").values_list(
        "session__student_id", "word"
    ):
        words[student_id].add(word)
    mistakes: dict[int, Counter[str]] = defaultdict(Counter)
    for student_id, category in Correction.objects.filter(session__in=sessions).values_list(
        "session__student_id", "category"
    ):
        mistakes[student_id][category] += 1
    return [
        StudentProgress(
            student=student,
            sessions=counts[student.pk],
            seconds=seconds[student.pk],
            words_learned=len(words[student.pk]),
            corrections=dict(mistakes[student.pk]),
        )
        for student in students
    ]


def _per_lesson(classroom: Classroom, students: list[User]) -> list[LessonCompletion]:
    assignments = list(
        Assignment.objects.filter(classroom=classroom).select_related("lesson").order_by("due_at", "lesson__title")
    )
    sessions = TutorSession.objects.filter(
        student__in=students, lesson__in=[a.lesson for a in assignments], started_at__isnull=False
    ).values("student_id", "lesson_id", "status", "end_reason", "objectives_met")
    completed: dict[int, set[int]] = defaultdict(set)
    attempted: dict[int, set[int]] = defaultdict(set)
    objectives = {a.lesson.pk: set(a.lesson.objectives) for a in assignments}
    for row in sessions:
        attempted[row["lesson_id"]].add(row["student_id"])
        if _completes(row, objectives[row["lesson_id"]]):
            completed[row["lesson_id"]].add(row["student_id"])
    total = len(students)
    return [
        LessonCompletion(
            lesson=a.lesson,
            due_at=a.due_at,
            completed=len(completed[a.lesson.pk]),
            attempted=len(attempted[a.lesson.pk] - completed[a.lesson.pk]),
            not_started=total - len(attempted[a.lesson.pk]),
        )
        for a in assignments
    ]


def _completes(row: dict, objectives: set[str]) -> bool:
    """Completed: a finished session that met every objective (any finished one, if the lesson has none)."""
    if row["status"] != SessionStatus.ENDED:
        return False
    return objectives <= set(row["objectives_met"])
