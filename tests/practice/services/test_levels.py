"""A placement sets the level per language; recent reports suggest moving it; a teacher sets it."""

import pytest

from practice.models import Correction, LearnerProgress, LevelSource, PlacementResult, SessionReport
from practice.placement import BANDS, place, tasks_for
from practice.selectors.levels import level_suggestion, levels_of
from practice.services.levels import level_set, placement_record

from ..factories import recorded_session


def right_answers(language: str, through: str) -> dict[str, str]:
    return {t.key: t.answers[0] for t in tasks_for(language) if BANDS.index(t.band) <= BANDS.index(through)}


@pytest.mark.parametrize("language", ["fr", "es", "de", "en"])
def test_every_placement_has_two_tasks_per_band_and_all_right_answers_give_c1(language):
    tasks = tasks_for(language)
    assert [t.band for t in tasks] == [band for band in BANDS for _ in range(2)]
    assert place(tasks, right_answers(language, "C1"), language=language).level == "C1"


def test_the_level_is_the_highest_band_reached_without_a_gap():
    tasks = tasks_for("fr-FR")
    answers = {**right_answers("fr", "A2"), "B2-1": "soit", "B2-2": "serais"}  # B1 left empty: a gap
    assert place(tasks, answers, language="fr-FR").level == "A2"
    assert place(tasks, {}, language="fr-FR").level == "A1" and place(tasks, {}, language="fr-FR").bands["A1"] == (0, 2)
    assert (
        place(tasks, {"A1-1": "suis", "A2-1": "suis allee"}, language="fr-FR").level == "A2"
    )  # half right is enough; accents aside


def test_a_placement_is_kept_and_sets_the_level(student):
    result = placement_record(student=student, language="es", answers=right_answers("es", "B1"))
    assert isinstance(result, PlacementResult) and result.level == "B1" and result.bands["B1"] == [2, 2]
    progress = LearnerProgress.objects.get(student=student, language="es")
    assert (progress.level, progress.level_source) == ("B1", LevelSource.PLACEMENT)


def test_a_teacher_sets_a_level_and_is_named(student, teacher):
    progress = level_set(student=student, language="fr-FR", level="B2", source=LevelSource.TEACHER, by=teacher)
    assert (progress.language, progress.level, progress.level_set_by) == ("fr", "B2", teacher)
    with pytest.raises(ValueError):
        level_set(student=student, language="fr", level="Z9", source=LevelSource.TEACHER)


def ready_sessions(student, lesson, count: int) -> None:
    for _ in range(count):
        session = recorded_session(student, lesson)
        SessionReport.objects.create(session=session, status="ready")
        session.status = "ended"
        session.objectives_met = list(lesson.objectives)
        session.save()


def test_easy_recent_sessions_at_the_level_suggest_one_up(student, lesson):
    level_set(student=student, language="fr", level="A1", source=LevelSource.PLACEMENT)
    ready_sessions(student, lesson, 3)
    Correction.objects.all().delete()
    [row] = levels_of(student=student)
    assert (row.suggestion, row.direction) == ("A2", "up")


def test_hard_recent_sessions_suggest_one_down_and_two_sessions_are_too_few(student, lesson):
    progress = level_set(student=student, language="fr", level="A1", source=LevelSource.PLACEMENT)
    lesson.level = "A2"
    lesson.save()
    progress = level_set(student=student, language="fr", level="A2", source=LevelSource.PLACEMENT)
    ready_sessions(student, lesson, 2)
    assert level_suggestion(student=student, progress=progress) == ""
    ready_sessions(student, lesson, 1)
    for correction in Correction.objects.all():  # 3 corrections for 4 things said in each session
        for _ in range(2):
            correction.pk = None
            correction.save()
    assert level_suggestion(student=student, progress=progress) == "A1"
