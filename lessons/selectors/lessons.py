"""Reads for lessons, each filtered to what the user may see: the catalog, the teacher's library, what
to practise next, and lessons as plain values (for export, duplication and the live engine)."""

from django.db.models import Count, Q, QuerySet

from accounts.models import User

from ..models import Lesson, Level, Purpose
from ..spec import LessonSpec, StepSpec, TextTranslation, VocabularySpec
from .classrooms import assignments_for_student


def lessons_visible_to(*, user: User) -> QuerySet[Lesson]:
    """Published lessons for everyone; teachers also see their own drafts; staff see all. Spoken reviews of
    decks are nobody's to list: they are reached through their sessions."""
    lessons = Lesson.objects.filter(purpose=Purpose.LESSON)
    if user.is_operator:
        return lessons
    if user.is_teacher:
        return lessons.filter(Q(published=True) | Q(author=user))
    return lessons.filter(published=True)


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


def student_may_use_lesson(*, student: User, lesson: Lesson) -> bool:
    """A lesson is open to a user who can see it: published, their own draft, or any for staff."""
    return lessons_visible_to(user=student).filter(pk=lesson.pk).exists()


LEVEL_ORDER = Level.values


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


def lessons_near_level(*, user: User, language: str, level: str, limit: int = 4) -> tuple[list[Lesson], bool]:
    """Lessons of `language` (fr, or fr-FR) at `level`; when it has none, the nearest ones, a level below as near as
    one above, below first: a placement always leads somewhere. Returns (lessons, at the level)."""
    lessons = list(lesson_catalog(user=user, language=language.split("-")[0]))
    at_level = [lesson for lesson in lessons if lesson.level == level]
    if at_level or level not in LEVEL_ORDER:
        return at_level[:limit], True
    here = LEVEL_ORDER.index(level)

    def distance(lesson: Lesson) -> tuple:
        away = LEVEL_ORDER.index(lesson.level) - here
        return (abs(away), away > 0, lesson.title)

    return sorted(lessons, key=distance)[:limit], False


def lessons_editable_by(*, user: User) -> QuerySet[Lesson]:
    """Teachers edit only their own lessons; staff edit any (spoken reviews are no one's to edit)."""
    if user.is_operator:
        return Lesson.objects.filter(purpose=Purpose.LESSON)
    if user.is_teacher:
        return Lesson.objects.filter(author=user, purpose=Purpose.LESSON)
    return Lesson.objects.none()


def lessons_for_teacher(*, user: User, language: str = "", level: str = "") -> QuerySet[Lesson]:
    """The lesson library: what the teacher may see, with counts for the list page, their own first."""
    lessons = lesson_catalog(user=user, language=language, level=level).select_related("author")
    return lessons.annotate(
        step_count=Count("steps", distinct=True),
        assignment_count=Count("assignments", distinct=True),
    )


def lessons_assignable_by(*, user: User) -> QuerySet[Lesson]:
    """Published lessons the teacher can see: theirs and their colleagues'."""
    return lessons_visible_to(user=user).filter(published=True).order_by("title")


def lesson_spec_of(lesson: Lesson) -> LessonSpec:
    """A stored lesson as a plain value: for export, duplication and the instruction preview."""
    return LessonSpec(
        title=lesson.title,
        language=lesson.language,
        level=lesson.level,
        scenario=lesson.scenario,
        student_scenario=lesson.student_scenario,
        persona_name=lesson.persona_name,
        persona_temperament=lesson.persona_temperament,
        correction_style=lesson.correction_style,
        pace=lesson.pace,
        objectives=tuple(lesson.objectives),
        text_language=lesson.text_language,
        translations={
            language: TextTranslation.from_dict(text) for language, text in (lesson.translations or {}).items()
        },
        provider=lesson.provider,
        voice=lesson.voice,
        model=lesson.model,
        max_minutes=lesson.max_minutes,
        patience=lesson.patience,
        published=lesson.published,
        vocabulary=tuple(
            VocabularySpec(v.term, v.translation, v.example, dict(v.translations or {}))
            for v in lesson.vocabulary.all()
        ),
        dialogue=tuple(
            StepSpec(s.tutor_line, tuple(s.expected_answers), s.hint, s.objective) for s in lesson.steps.all()
        ),
    )


def lesson_specs(*, lessons: QuerySet[Lesson]) -> list[LessonSpec]:
    """Lessons as file-ready values, in a fixed number of queries: what export writes."""
    return [lesson_spec_of(lesson) for lesson in lessons.prefetch_related("vocabulary", "steps").order_by("pk")]
