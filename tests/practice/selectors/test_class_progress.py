"""A class's progress: per student and per assigned lesson."""

import datetime as dt

from django.utils import timezone

from lessons.services.classrooms import assignment_create, classroom_join
from lessons.services.lessons import lesson_create
from practice.selectors.progress import class_progress
from practice.services.recording import note_record
from practice.services.sessions import session_create
from tests.conftest import lesson_spec
from tests.practice.factories import reviewable_session
from tutor.events import CorrectionNoted


def test_per_student_time_sessions_words_and_top_corrections(classroom, student, other_student, lesson):
    classroom_join(student=other_student, join_code=classroom.join_code)
    reviewable_session(student, lesson, minutes=6)
    second = reviewable_session(student, lesson, minutes=3)
    for category in ("vocabulary", "vocabulary", "spelling", "word_order"):
        note_record(
            session_id=second.pk,
            note=CorrectionNoted(original="a", corrected="b", explanation="", category=category, turn=1),
        )
    ana, other = class_progress(classroom=classroom).students
    assert (ana.student, ana.sessions, ana.seconds, ana.words_learned) == (student, 2, 540.0, 1)
    assert ana.corrections == {"grammar": 2, "vocabulary": 2, "spelling": 1, "word_order": 1}
    assert ana.top_categories == [("Grammar", 2), ("Vocabulary", 2), ("Spelling", 1)]
    assert (other.sessions, other.seconds, other.words_learned, other.top_categories) == (0, 0.0, 0, [])


def test_the_period_leaves_out_older_sessions(classroom, student, lesson):
    reviewable_session(student, lesson, minutes=4, when=timezone.now() - dt.timedelta(days=45))
    reviewable_session(student, lesson, minutes=2)
    [row] = class_progress(classroom=classroom, since=timezone.now() - dt.timedelta(days=30)).students
    assert (row.sessions, row.seconds) == (1, 120.0)
    [row] = class_progress(classroom=classroom).students
    assert row.sessions == 2


def test_a_session_that_never_started_is_not_practice(classroom, student, lesson):
    session_create(student=student, lesson=lesson)
    [row] = class_progress(classroom=classroom).students
    assert row.sessions == 0


def test_completion_needs_every_objective_met_in_one_finished_session(
    classroom, student, other_student, teacher, lesson
):
    classroom_join(student=other_student, join_code=classroom.join_code)
    reviewable_session(student, lesson, objectives_met=["Order a drink", "Ask for the bill"])
    reviewable_session(other_student, lesson, objectives_met=["Order a drink"])
    [item] = class_progress(classroom=classroom).lessons
    assert (item.lesson, item.completed, item.attempted, item.not_started) == (lesson, 1, 1, 0)


def test_a_lesson_without_objectives_is_completed_by_any_finished_session(classroom, student, teacher):
    free = lesson_create(spec=lesson_spec(title="Free talk", objectives=()), author=teacher)
    assignment_create(classroom=classroom, lesson=free, due_at=None)
    reviewable_session(student, free)
    completion = {item.lesson.title: item for item in class_progress(classroom=classroom).lessons}
    assert completion["Free talk"].completed == 1
    assert completion["Café in Lyon"].not_started == 1
