"""A spoken review as a lesson: each card a dialogue step in the target language, the same cards in the
scenario a live model reads."""

from tutor.brief import LearnerProfile, RestoredContext
from tutor.drill import DrillItem, drill_brief
from tutor.persona import build_instructions

ITEMS = (
    DrillItem("correction", "Yo soy cansado", "Yo estoy cansado", "estar for states"),
    DrillItem("word", "the station", "la estación"),
    DrillItem("pronunciation", "perro", "perro"),
)


def brief(language="es-ES"):
    return drill_brief(
        ITEMS, title="Spoken review", language=language, level="A2", persona_name="Tutor", max_minutes=10
    )


def test_each_card_is_a_step_whose_expected_answer_is_the_cards():
    steps = brief().dialogue
    assert [s.tutor for s in steps] == [
        "Repasamos tus tarjetas. Dilo correctamente: Yo soy cansado",
        "¿Cómo se dice «the station»?",
        "Repite: perro",
    ]
    assert [s.expected for s in steps] == [("Yo estoy cansado",), ("la estación",), ("perro",)]
    assert steps[0].hint == "estar for states"


def test_a_live_model_is_told_the_cards_in_order_with_their_answers():
    instructions = build_instructions(brief(), LearnerProfile(name="Ana"), RestoredContext())
    assert "1. Dilo correctamente: Yo soy cansado (answer: Yo estoy cansado)" in instructions
    assert "3. Repite: perro (answer: perro)" in instructions and "Do not skip a card" in instructions


def test_a_language_without_its_own_prompts_is_drilled_in_english_words():
    assert brief("nl-NL").dialogue[1].tutor == "How do you say “the station”?"
