"""A card's answer graded as a lesson grades it: the verdict, the words that differ, the suggested rating."""

from dataclasses import dataclass

from practice.answers import Part, grade_typed, speech_request


@dataclass(frozen=True)
class FakeCard:
    back: str
    language: str = "fr-FR"


def test_a_right_answer_whatever_its_case_accents_and_punctuation_suggests_good():
    graded = grade_typed(FakeCard("Je voudrais un café"), "je voudrais un cafe", explain_in="en")
    assert (graded.verdict, graded.rating, graded.accepted) == ("right", 3, True)


def test_a_close_answer_marks_the_word_that_differs_on_each_side_and_suggests_hard():
    graded = grade_typed(FakeCard("Je voudrais un café"), "Je voudrait un café", explain_in="de")
    assert (graded.verdict, graded.category, graded.rating) == ("close", "grammar", 2)
    assert graded.said_parts == (Part("Je", False), Part("voudrait", True), Part("un", False), Part("café", False))
    assert [p.text for p in graded.expected_parts if p.changed] == ["voudrais"]
    assert "voudrais" in graded.explanation and graded.explanation != graded.explanation.encode().decode(
        "ascii", "ignore"
    )


def test_a_spelling_slip_is_right_with_a_slip_and_a_wrong_answer_suggests_again():
    assert grade_typed(FakeCard("un croissant"), "un croisant", explain_in="en").rating == 3
    assert grade_typed(FakeCard("un croissant"), "où sont les toilettes", explain_in="en").rating == 1


def test_the_other_cards_a_spoken_answer_is_told_apart_from_leave_out_those_that_hold_it_or_it_holds():
    card = FakeCard("Un café, s'il vous plaît")
    others = ("Je voudrais un café, s'il vous plaît", "Un café", "L'addition, s'il vous plaît")
    job = speech_request(card, b"", others=others)
    assert {template.text for template in job.others} == {"L'addition, s'il vous plaît"}
    japanese = speech_request(
        FakeCard("どうぞよろしくおねがいします", "ja-JP"), b"", others=("よろしくおねがいします", "すしがすきです")
    )
    assert {template.text for template in japanese.others} == {"すしがすきです"}
