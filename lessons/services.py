"""Writes for lessons, classrooms, enrollments, assignments and progress."""

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tutor.accounts.models import User

from .models import Assignment, Classroom, DialogueStep, Enrollment, LearnerProgress, Lesson, VocabularyItem
from .spec import LessonSpec

# No 0/O or 1/I/L: a code read aloud in class or copied from a board is typed right.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def _lesson_fields(spec: LessonSpec) -> dict:
    return {
        "title": spec.title,
        "language": spec.language,
        "level": spec.level,
        "scenario": spec.scenario,
        "objectives": list(spec.objectives),
        "persona_name": spec.persona_name,
        "persona_temperament": spec.persona_temperament,
        "correction_style": spec.correction_style,
        "pace": spec.pace,
        "provider": spec.provider,
        "voice": spec.voice,
        "model": spec.model,
        "max_minutes": spec.max_minutes,
        "published": spec.published,
    }


@transaction.atomic
def lesson_create(*, spec: LessonSpec, author: User | None) -> Lesson:
    lesson = Lesson(author=author, **_lesson_fields(spec))
    lesson.full_clean()
    lesson.save()
    _lesson_replace_content(lesson=lesson, spec=spec)
    return lesson


@transaction.atomic
def lesson_update(*, lesson: Lesson, spec: LessonSpec) -> Lesson:
    for name, value in _lesson_fields(spec).items():
        setattr(lesson, name, value)
    lesson.full_clean()
    lesson.save()
    _lesson_replace_content(lesson=lesson, spec=spec)
    return lesson


def _lesson_replace_content(*, lesson: Lesson, spec: LessonSpec) -> None:
    lesson.vocabulary.all().delete()
    lesson.steps.all().delete()
    VocabularyItem.objects.bulk_create(
        VocabularyItem(lesson=lesson, term=v.term, translation=v.translation, example=v.example, position=i)
        for i, v in enumerate(spec.vocabulary)
    )
    DialogueStep.objects.bulk_create(
        DialogueStep(lesson=lesson, position=i, tutor_line=s.tutor, expected_answers=list(s.expected), hint=s.hint)
        for i, s in enumerate(spec.dialogue)
    )


@transaction.atomic
def lessons_import(*, specs: list[LessonSpec], author: User | None) -> list[Lesson]:
    """All or nothing: a lesson that fails validation rolls back the whole file."""
    return [lesson_create(spec=spec, author=author) for spec in specs]


def lesson_set_published(*, lesson: Lesson, published: bool) -> Lesson:
    if published and not lesson.steps.exists() and lesson.provider == "offline":
        raise ValidationError(_("An offline lesson needs at least one dialogue step before it is published."))
    lesson.published = published
    lesson.save(update_fields=["published", "updated_at"])
    return lesson


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def classroom_create(*, teacher: User, name: str) -> Classroom:
    if not (teacher.is_teacher or teacher.is_operator):
        raise PermissionDenied(_("Only teachers create classes."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Classroom.objects.create(teacher=teacher, name=name.strip(), join_code=_new_join_code())
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free join code after 5 attempts.")


def classroom_join(*, student: User, join_code: str) -> Enrollment:
    """Enrol a student by the code the teacher shared; joining twice is harmless."""
    code = join_code.strip().upper().replace(" ", "").replace("-", "")
    classroom = Classroom.objects.filter(join_code=code).first()
    if classroom is None:
        raise ValidationError({"join_code": _("No class has the code %(code)s.") % {"code": code}})
    if not student.is_student:
        raise ValidationError({"join_code": _("Only students join classes.")})
    enrollment, _created = Enrollment.objects.get_or_create(classroom=classroom, student=student)
    return enrollment


def enrollment_remove(*, classroom: Classroom, student: User) -> None:
    Enrollment.objects.filter(classroom=classroom, student=student).delete()


def assignment_create(*, classroom: Classroom, lesson: Lesson, due_at: dt.datetime | None) -> Assignment:
    if not lesson.published:
        raise ValidationError({"lesson": _("Publish the lesson before assigning it.")})
    assignment, _created = Assignment.objects.update_or_create(
        classroom=classroom, lesson=lesson, defaults={"due_at": due_at}
    )
    return assignment


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
