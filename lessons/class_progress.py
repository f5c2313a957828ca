"""Reads for a class's progress page: per student (time, sessions, words, their most common kinds of
mistake) and per assigned lesson (how many completed it, tried it, or have not started)."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from tutor.accounts.models import User
from tutor.models import Correction, CorrectionCategory, SessionStatus, TutorSession, VocabularyEvent

from .models import Assignment, Classroom, Lesson
from .selectors import BY_NAME

TOP_CATEGORIES = 3


@dataclass(frozen=True)
class StudentProgress:
    student: User
    sessions: int
    minutes: float
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
        if row["ended_at"]:
            seconds[row["student_id"]] += max(0.0, (row["ended_at"] - row["started_at"]).total_seconds())
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
            minutes=round(seconds[student.pk] / 60, 1),
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
    """Completed: a finished session that met every objective (any finished one, if the lesson has none),
    or that ended because the lesson was done."""
    if row["end_reason"] == "completed":
        return True
    if row["status"] != SessionStatus.ENDED:
        return False
    return objectives <= set(row["objectives_met"])
