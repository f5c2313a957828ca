"""Writes for lessons: create, update, duplicate, publish, and import lesson files (all or nothing)."""

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..files import FileProblem, LessonFileError, error_location, parse_lesson_file
from ..models import DialogueStep, Lesson, VocabularyItem
from ..selectors.lessons import lesson_spec_of
from ..spec import LessonSpec, TextTranslation


def _lesson_fields(spec: LessonSpec) -> dict:
    return {
        "title": spec.title,
        "language": spec.language,
        "level": spec.level,
        "scenario": spec.scenario,
        "student_scenario": spec.student_scenario,
        "objectives": list(spec.objectives),
        "text_language": spec.text_language,
        "translations": {
            language: text.to_dict() for language, text in sorted(spec.translations.items()) if not text.empty
        },
        "persona_name": spec.persona_name,
        "persona_temperament": spec.persona_temperament,
        "correction_style": spec.correction_style,
        "pace": spec.pace,
        "provider": spec.provider,
        "voice": spec.voice,
        "model": spec.model,
        "max_minutes": spec.max_minutes,
        "patience": spec.patience,
        "published": spec.published,
    }


def runs_offline(lesson_provider: str) -> bool:
    """Whether this site would play the lesson on the offline tutor (chosen, the default, or the fallback)."""
    return settings.TUTOR.provider_for_lesson(lesson_provider) == "offline"


def _check_publishable(*, provider: str, has_content: bool) -> None:
    if runs_offline(provider) and not has_content:
        raise ValidationError(
            {
                "published": _(
                    "This lesson would run on the offline tutor, which plays the dialogue or drills the "
                    "vocabulary: add at least one dialogue step or vocabulary word before publishing it."
                )
            }
        )


def _check_content(spec: LessonSpec) -> None:
    unknown = sorted({s.objective for s in spec.dialogue if s.objective and s.objective not in spec.objectives})
    if unknown:
        raise ValidationError(
            {
                "dialogue": _("A step's objective must be one of the lesson's objectives, as written: %(names)s.")
                % {"names": ", ".join(f"«{name}»" for name in unknown)}
            }
        )
    terms = [v.term for v in spec.vocabulary]
    repeated = sorted({term for term in terms if terms.count(term) > 1})
    if repeated:
        raise ValidationError(
            {"vocabulary": _("Each term once, please: %(terms)s appear twice.") % {"terms": ", ".join(repeated)}}
        )
    _check_translations(spec)
    if spec.published:
        _check_publishable(provider=spec.provider, has_content=bool(spec.dialogue or spec.vocabulary))


def _check_translations(spec: LessonSpec) -> None:
    """A translation is of the lesson's own text: in another language, and with one objective for each of the
    lesson's (an objective is named by its position in the lesson)."""
    own = spec.text_language.split("-")[0].lower()
    for language, text in spec.translations.items():
        if language.split("-")[0].lower() == own:
            raise ValidationError(
                {"translations": _("The lesson's own text is in %(language)s already: translate it into another.")
                 % {"language": language}}
            )  # fmt: skip
        if text.objectives and len(text.objectives) != len(spec.objectives):
            raise ValidationError(
                {"translations": _("The objectives in %(language)s: give one for each of the lesson's %(count)d, "
                                   "in the same order.") % {"language": language, "count": len(spec.objectives)}}
            )  # fmt: skip


@transaction.atomic
def lesson_create(*, spec: LessonSpec, author: User | None) -> Lesson:
    lesson = Lesson(author=author, **_lesson_fields(spec))
    lesson.full_clean()
    _check_content(spec)
    lesson.save()
    _lesson_replace_content(lesson=lesson, spec=spec)
    return lesson


@transaction.atomic
def lesson_update(*, lesson: Lesson, spec: LessonSpec) -> Lesson:
    for name, value in _lesson_fields(spec).items():
        setattr(lesson, name, value)
    lesson.full_clean()
    _check_content(spec)
    lesson.save()
    _lesson_replace_content(lesson=lesson, spec=spec)
    return lesson


def lesson_translations_set(
    *, lesson: Lesson, translations: dict[str, TextTranslation], words: dict[str, dict[str, str]]
) -> Lesson:
    """The lesson's text in other languages (`words`: {term: {language: translation}}), checked as any edit is."""
    spec = lesson_spec_of(lesson)
    vocabulary = tuple(dataclasses.replace(v, translations=words.get(v.term, v.translations)) for v in spec.vocabulary)
    changed = dataclasses.replace(spec, translations=translations, vocabulary=vocabulary)
    return lesson_update(lesson=lesson, spec=changed)


def lesson_duplicate(*, lesson: Lesson, author: User) -> Lesson:
    """A draft copy the author may change freely: how a teacher adapts a colleague's lesson."""
    title = _("Copy of %(title)s") % {"title": lesson.title}
    spec = dataclasses.replace(lesson_spec_of(lesson), title=title[:200], published=False)
    return lesson_create(spec=spec, author=author)


def _lesson_replace_content(*, lesson: Lesson, spec: LessonSpec) -> None:
    lesson.vocabulary.all().delete()
    lesson.steps.all().delete()
    VocabularyItem.objects.bulk_create(
        VocabularyItem(
            lesson=lesson,
            term=v.term,
            translation=v.translation,
            translations={language: text for language, text in v.translations.items() if text},
            example=v.example,
            position=i,
        )
        for i, v in enumerate(spec.vocabulary)
    )
    DialogueStep.objects.bulk_create(
        DialogueStep(
            lesson=lesson,
            position=i,
            tutor_line=s.tutor,
            expected_answers=list(s.expected),
            hint=s.hint,
            objective=s.objective,
        )
        for i, s in enumerate(spec.dialogue)
    )


@transaction.atomic
def lessons_import(*, specs: list[LessonSpec], author: User | None) -> list[Lesson]:
    """All or nothing: a lesson that fails validation rolls back the whole file."""
    return [lesson_create(spec=spec, author=author) for spec in specs]


# Model field names as a lesson file spells them, so an import error names the file's field.
_FILE_FIELDS = {
    "persona_name": "persona.name",
    "persona_temperament": "persona.temperament",
    "correction_style": "persona.correction_style",
    "pace": "persona.pace",
}


@transaction.atomic
def lesson_file_import(*, text: str, author: User | None, publish: bool = False) -> list[Lesson]:
    """Import a whole lesson file or nothing. Every lesson is checked, so LessonFileError lists every
    problem of the file at once, each naming its field and line."""
    specs = parse_lesson_file(text)
    lessons, problems = [], []
    for index, spec in enumerate(specs):
        if publish:
            spec = dataclasses.replace(spec, published=True)
        try:
            lessons.append(lesson_create(spec=spec, author=author))
        except ValidationError as exc:
            problems += _file_problems(exc, text=text, index=index, title=spec.title)
    if problems:
        raise LessonFileError(problems)  # the transaction takes back the lessons already created
    return lessons


def _file_problems(exc: ValidationError, *, text: str, index: int, title: str) -> list[FileProblem]:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    problems = []
    for name, messages in errors.items():
        path = ["lessons", index]
        if name != "__all__":
            path += _FILE_FIELDS.get(name, name).split(".")
        field, line = error_location(text, path)
        problems += [FileProblem(message=f"{title}: {message}", field=field, line=line) for message in messages]
    return problems


def lesson_set_published(*, lesson: Lesson, published: bool) -> Lesson:
    if published:
        _check_publishable(provider=lesson.provider, has_content=lesson.steps.exists() or lesson.vocabulary.exists())
    lesson.published = published
    lesson.save(update_fields=["published", "updated_at"])
    return lesson
