"""The tutor's tool calls checked and turned into notes: what the model may get wrong is answered, not raised."""

from tests.tutor.conftest import LEARNER, LESSON
from tutor import tools
from tutor.brief import RestoredContext
from tutor.events import CorrectionNoted, PronunciationNoted, ToolCall
from tutor.persona import build_instructions


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


def test_note_correction_asks_the_model_for_the_rule_in_one_short_named_line():
    [spec] = [tool for tool in tools.TOOLS if tool.name == "note_correction"]
    assert "rule" in spec.parameters["required"]
    description = spec.parameters["properties"]["rule"]["description"]
    assert "one short line" in description and "student's language" in description and "conjugation" in description


def test_the_persona_tells_the_model_to_name_the_rule_in_the_students_language():
    instructions = build_instructions(LESSON, LEARNER, RestoredContext())
    assert "call note_correction, with its rule: one short line in es that names the rule broken" in instructions


def test_a_correction_keeps_its_rule_one_line_a_mistake():
    outcome = interpret(
        "note_correction", original="Je voudrai un croisant", corrected="Je voudrais un croissant",
        explanation="", category="grammar",
        rule=["Conjugación de «vouloir»: «voudrais», no «voudrai».", " Ortografía: «croissant». "],
    )  # fmt: skip
    assert outcome.note == CorrectionNoted(
        "Je voudrai un croisant", "Je voudrais un croissant", "", "grammar", turn=4,
        rule="Conjugación de «vouloir»: «voudrais», no «voudrai».\nOrtografía: «croissant».",
    )  # fmt: skip


def test_a_correction_without_a_rule_is_kept_with_none():
    outcome = interpret("note_correction", original="a", corrected="b", explanation="", category="grammar", rule=7)
    assert outcome.note.rule == "" and outcome.result == {"ok": True}
