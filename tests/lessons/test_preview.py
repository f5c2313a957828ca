from lessons.preview import brief_of, instruction_preview
from lessons.selectors import lesson_spec_of
from tests.conftest import lesson_spec
from tutor.selectors import lesson_brief_for


def test_an_unsaved_lesson_gives_the_same_brief_as_the_saved_one(lesson):
    assert brief_of(lesson_spec_of(lesson)) == lesson_brief_for(lesson=lesson)


def test_the_preview_says_what_the_offline_tutor_would_do():
    assert "plays the 2 dialogue steps" in instruction_preview(lesson_spec()).offline_plan
    assert "drills the 2 vocabulary words" in instruction_preview(lesson_spec(dialogue=())).offline_plan
    empty = instruction_preview(lesson_spec(dialogue=(), vocabulary=()))
    assert "nothing to play yet" in empty.offline_plan
    assert empty.instructions.startswith("You are Camille, a language tutor")
