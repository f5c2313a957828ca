"""Reads for lessons, classrooms and assignments, each filtered to what the user may see."""

from django.db.models import Count, Prefetch, Q, QuerySet

from tutor.accounts.models import User

from .models import Assignment, Classroom, LearnerProgress, Lesson


def lessons_visible_to(*, user: User) -> QuerySet[Lesson]:
    """Published lessons for everyone; teachers also see their own drafts; staff see all."""
    if user.is_operator:
        return Lesson.objects.all()
    if user.is_teacher:
        return Lesson.objects.filter(Q(published=True) | Q(author=user))
    return Lesson.objects.filter(published=True)


def lesson_catalog(*, user: User, language: str = "", level: str = "") -> QuerySet[Lesson]:
    lessons = lessons_visible_to(user=user).annotate(word_count=Count("vocabulary", distinct=True))
    if language:
        lessons = lessons.filter(Q(language=language) | Q(language__startswith=f"{language}-"))
    if level:
        lessons = lessons.filter(level=level)
    return lessons.order_by("language", "level", "title")


def catalog_languages(*, user: User) -> list[str]:
    """The base languages (fr, not fr-FR) that the user's catalog offers."""
    codes = lessons_visible_to(user=user).values_list("language", flat=True).distinct()
    return sorted({code.split("-")[0] for code in codes})


def lesson_with_content(*, lesson_id: int) -> Lesson:
    return Lesson.objects.prefetch_related("vocabulary", "steps").get(pk=lesson_id)


def classrooms_of_teacher(*, teacher: User) -> QuerySet[Classroom]:
    return (
        Classroom.objects.filter(teacher=teacher)
        .annotate(student_count=Count("enrollments", distinct=True))
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("lesson")))
    )


def classrooms_of_student(*, student: User) -> QuerySet[Classroom]:
    return Classroom.objects.filter(enrollments__student=student).select_related("teacher")


def assignments_for_student(*, student: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(classroom__enrollments__student=student, lesson__published=True)
        .select_related("lesson", "classroom")
        .order_by("due_at", "lesson__title")
    )


def student_may_use_lesson(*, student: User, lesson: Lesson) -> bool:
    """A lesson is open to a user who can see it: published, their own draft, or any for staff."""
    return lessons_visible_to(user=student).filter(pk=lesson.pk).exists()


def progress_of_student(*, student: User) -> QuerySet[LearnerProgress]:
    return LearnerProgress.objects.filter(student=student).order_by("-last_practised_on")


LEVEL_ORDER = ["A1", "A2", "B1", "B2", "C1", "C2"]


def next_lesson_for(*, student: User, after: Lesson) -> Lesson | None:
    """What to practise next: in the same language, an assigned lesson first, then the nearest level at or
    above this one, never a lesson the student has already finished."""
    base = after.language.split("-")[0]
    finished = Lesson.objects.filter(sessions__student=student, sessions__status="ended").values("pk")
    candidates = list(
        lessons_visible_to(user=student)
        .filter(published=True)
        .filter(Q(language=base) | Q(language__startswith=f"{base}-"))
        .exclude(pk=after.pk)
        .exclude(pk__in=finished)
    )
    if not candidates:
        return None
    assigned = set(assignments_for_student(student=student).values_list("lesson_id", flat=True))
    here = LEVEL_ORDER.index(after.level)

    def rank(lesson: Lesson) -> tuple:
        distance = LEVEL_ORDER.index(lesson.level) - here
        return (lesson.pk not in assigned, distance < 0, abs(distance), lesson.title)

    return min(candidates, key=rank)
