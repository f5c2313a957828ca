from lessons.preview import instruction_preview

from ..conftest import lesson_spec


def test_the_preview_says_what_the_offline_tutor_would_do():
    assert "plays the 2 dialogue steps" in instruction_preview(lesson_spec()).offline_plan
    assert "drills the 2 vocabulary words" in instruction_preview(lesson_spec(dialogue=())).offline_plan
    empty = instruction_preview(lesson_spec(dialogue=(), vocabulary=()))
    assert "nothing to play yet" in empty.offline_plan
    assert empty.instructions.startswith("You are Camille, a language tutor")
