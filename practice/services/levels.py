"""Writes of a learner's level per language: from a placement they took, from their teacher, or a suggestion
they accepted (practice/selectors/levels.py makes the suggestions)."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from lessons.models import Level

from ..models import LearnerProgress, LevelSource, PlacementResult
from ..placement import place, tasks_for


def base_language(language: str) -> str:
    return language.split("-")[0].lower()


@transaction.atomic
def level_set(*, student: User, language: str, level: str, source: str, by: User | None = None) -> LearnerProgress:
    if level not in Level.values or source not in LevelSource.values:
        raise ValueError(f"unknown level {level!r} or source {source!r}")
    progress, _created = LearnerProgress.objects.select_for_update().get_or_create(
        student=student, language=base_language(language)
    )
    progress.level, progress.level_source = level, source
    progress.level_set_at, progress.level_set_by = timezone.now(), by
    progress.save(update_fields=["level", "level_source", "level_set_at", "level_set_by", "updated_at"])
    return progress


def placement_record(*, student: User, language: str, answers: dict[str, str]) -> PlacementResult:
    """Score the answers, keep the result and set the level from it."""
    tasks = tasks_for(language)
    if not tasks:
        raise ValueError(f"no placement for {language!r}")
    placement = place(tasks, answers, language=language)
    with transaction.atomic():
        result = PlacementResult.objects.create(
            student=student,
            language=base_language(language),
            level=placement.level,
            bands={band: list(score) for band, score in placement.bands.items()},
        )
        level_set(student=student, language=language, level=placement.level, source=LevelSource.PLACEMENT)
    return result
