import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lessons.models import Classroom, Lesson, VocabularyItem
from lessons.services import (
    JOIN_CODE_ALPHABET,
    assignment_create,
    classroom_create,
    classroom_join,
    lesson_create,
    lesson_update,
    lessons_import,
    progress_record_session,
)
from tests.conftest import lesson_spec


def test_lesson_create_stores_vocabulary_and_steps_in_order(teacher):
    lesson = lesson_create(spec=lesson_spec(), author=teacher)
    assert [v.term for v in lesson.vocabulary.all()] == ["un café", "l'addition"]
    assert [s.position for s in lesson.steps.all()] == [0, 1]


def test_lesson_update_replaces_content(lesson):
    lesson_update(lesson=lesson, spec=lesson_spec(title="New title", vocabulary=()))
    lesson.refresh_from_db()
    assert lesson.title == "New title" and not lesson.vocabulary.exists()


def test_import_is_all_or_nothing(teacher):
    good, bad = lesson_spec(title="Good"), lesson_spec(title="Bad", language="not a code")
    with pytest.raises(ValidationError):
        lessons_import(specs=[good, bad], author=teacher)
    assert not Lesson.objects.exists() and not VocabularyItem.objects.exists()


def test_classroom_join_codes_are_unambiguous_and_unique(teacher):
    codes = {classroom_create(teacher=teacher, name=f"c{i}").join_code for i in range(20)}
    assert len(codes) == 20
    assert all(set(code) <= set(JOIN_CODE_ALPHABET) for code in codes)


def test_only_teachers_create_classes(student):
    with pytest.raises(PermissionDenied):
        classroom_create(teacher=student, name="Mine")
    assert not Classroom.objects.exists()


def test_joining_twice_is_harmless_and_codes_are_forgiving(teacher, student):
    room = classroom_create(teacher=teacher, name="Group")
    code = f" {room.join_code[:4].lower()}-{room.join_code[4:]} "
    assert classroom_join(student=student, join_code=code) == classroom_join(student=student, join_code=code)
    assert room.enrollments.count() == 1


def test_teachers_cannot_join_classes(teacher, other_teacher):
    room = classroom_create(teacher=teacher, name="Group")
    with pytest.raises(ValidationError):
        classroom_join(student=other_teacher, join_code=room.join_code)


def test_unpublished_lessons_cannot_be_assigned(teacher):
    draft = lesson_create(spec=lesson_spec(published=False), author=teacher)
    room = classroom_create(teacher=teacher, name="Group")
    with pytest.raises(ValidationError):
        assignment_create(classroom=room, lesson=draft, due_at=None)


def test_progress_counts_sessions_and_keeps_a_streak(student):
    day = dt.date(2026, 11, 2)
    progress_record_session(student=student, language="fr", seconds=300, words_learned=2, corrections=1, on=day)
    progress_record_session(student=student, language="fr", seconds=60, words_learned=0, corrections=0, on=day)
    progress = progress_record_session(
        student=student, language="fr", seconds=120, words_learned=1, corrections=3, on=day + dt.timedelta(days=1)
    )
    assert (progress.sessions_count, progress.seconds_practised, progress.words_learned) == (3, 480, 3)
    assert progress.streak_days == 2 and progress.corrections_count == 4
    broken = progress_record_session(
        student=student, language="fr", seconds=10, words_learned=0, corrections=0, on=day + dt.timedelta(days=5)
    )
    assert broken.streak_days == 1


def test_a_voice_or_model_must_belong_to_the_lessons_provider(teacher):
    for changes, field in [
        ({"provider": "openai", "voice": "nova"}, "voice"),
        ({"provider": "gemini", "voice": "marin"}, "voice"),
        ({"provider": "", "voice": "Puck"}, "voice"),
        ({"provider": "gemini", "model": "gpt-realtime"}, "model"),
    ]:
        with pytest.raises(ValidationError) as caught:
            lesson_create(spec=lesson_spec(**changes), author=teacher)
        assert field in caught.value.message_dict
    lesson = lesson_create(
        spec=lesson_spec(provider="openai", voice="cedar", model="gpt-realtime-mini"), author=teacher
    )
    assert (lesson.voice, lesson.model) == ("cedar", "gpt-realtime-mini")
