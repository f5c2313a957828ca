"""The tutor's tool calls checked and turned into notes: what the model may get wrong is answered, not raised."""

from tutor import tools
from tutor.events import PronunciationNoted, ToolCall


def interpret(name: str, **arguments):
    return tools.interpret(ToolCall("c1", name, arguments), student_turn=4, objectives=())


def test_both_live_providers_are_offered_note_pronunciation_with_word_heard_as_and_tip():
    [spec] = [tool for tool in tools.TOOLS if tool.name == "note_pronunciation"]
    assert spec.parameters["required"] == ["word", "heard_as", "tip"]
    assert "estimate" not in spec.parameters["properties"]  # only a recognizer's call says it guessed


def test_a_models_pronunciation_note_is_not_an_estimate():
    outcome = interpret("note_pronunciation", word=" rue ", heard_as="roue", tip="Round your lips.")
    assert outcome.note == PronunciationNoted("rue", "roue", "Round your lips.", estimate=False, turn=4)
    assert outcome.result == {"ok": True}


def test_the_offline_recognizers_note_is_labelled_an_estimate_and_may_not_know_what_it_heard():
    outcome = interpret("note_pronunciation", word="croissant", tip="", estimate=True)
    assert outcome.note == PronunciationNoted("croissant", "", "", estimate=True, turn=4)


def test_a_pronunciation_note_without_a_word_is_answered_with_an_error():
    outcome = interpret("note_pronunciation", word="  ", heard_as="x", tip="y")
    assert outcome.note is None and outcome.result == {"error": "'word' must be a non-empty string"}


def test_estimate_must_really_be_true_not_just_truthy():
    assert interpret("note_pronunciation", word="rue", heard_as="", tip="", estimate="yes").note.estimate is False
