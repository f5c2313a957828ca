import asyncio
from dataclasses import replace

import pytest

from practice.writers import (
    Conversation,
    CorrectionText,
    Outcomes,
    TurnText,
    extractive_narrative,
    extractive_summary,
    model_narrative,
    model_summary,
    outcomes,
)
from tutor.providers.text import TextModelError

from ..fakes.text_model import ScriptedTextModel

LONG = Conversation(
    lesson_title="Café", language="fr-FR", scenario="A café.", learner="Ana", tutor="Camille",
    turns=tuple(TurnText(i, "student" if i % 2 else "tutor", f"Phrase numéro {i}, assez longue. Et encore.")
                for i in range(60)),
    corrections=(CorrectionText("je suis faim", "j'ai faim", "grammar"),),
    words_used=("un café",),
)  # fmt: skip


def test_an_extractive_summary_stays_within_its_size_and_ends_where_the_talk_stands():
    text = extractive_summary(LONG, max_chars=500).text
    assert len(text) <= 500
    assert "Phrase numéro 59" in text and "“je suis faim” → “j'ai faim” (grammar)" in text


def test_a_narrative_that_is_not_json_is_a_retryable_failure_that_carries_what_it_billed():
    with pytest.raises(TextModelError) as caught:
        asyncio.run(model_narrative(ScriptedTextModel(["Sure! Here is the report."]), LONG))
    assert caught.value.retryable and caught.value.unusable
    assert caught.value.usage.total > 0 and caught.value.model == "scripted-text"


@pytest.mark.parametrize("answer", ['{"summary": ""}', '{"summary": "Ana ordered', "[]"])
def test_a_summary_that_is_empty_cut_off_or_not_an_object_is_unusable_and_billed(answer):
    with pytest.raises(TextModelError) as caught:
        asyncio.run(model_summary(ScriptedTextModel([answer]), LONG))
    assert caught.value.unusable and caught.value.usage is not None


def _lesson_of(answers: list[tuple[str, str]]) -> Conversation:
    """(answer, category or "") per student turn, each after a tutor turn."""
    turns, corrections = [], []
    for number, (answer, category) in enumerate(answers):
        turns += [TurnText(2 * number, "tutor", "Et avec ça ?"), TurnText(2 * number + 1, "student", answer)]
        if category:
            corrections.append(CorrectionText(answer, "…", category, turn=2 * number + 1))
    return Conversation(
        lesson_title="Café", language="fr-FR", scenario="A café.", learner="Ana", tutor="Camille",
        turns=tuple(turns), corrections=tuple(corrections), objectives=("Order", "Pay", "Ask the price"),
        objectives_met=("Order",),
    )  # fmt: skip


def test_the_report_counts_questions_right_the_first_time_after_help_and_missed():
    conversation = _lesson_of([
        ("Je voudrais un café", ""),                       # right the first time
        ("Un croisant", "spelling"),                       # a slip, accepted: right the first time
        ("Où est la gare ?", "other"), ("Une pomme", "vocabulary"), ("Un croissant", ""),  # after help
        ("Je voudrait payer", "grammar"), ("Par carte", ""),  # after help
        ("Combien ça fait", "grammar"),                    # the session ended: missed
    ])  # fmt: skip
    assert outcomes(conversation) == Outcomes(first_time=2, helped=2, missed=1)
    narrative = extractive_narrative(conversation)
    assert "Of 5 questions: 2 right the first time, 2 after a correction or a hint, 1 not managed." in narrative.summary
    assert "1 of 3 objectives met" in narrative.summary
    assert not any(s.startswith("Most answers were right") for s in narrative.strengths)


def test_most_right_the_first_time_is_said_only_when_it_is_true():
    conversation = _lesson_of([("Un café", ""), ("Un croissant", ""), ("Par carte", "grammar"), ("Par carte", "")])
    assert "Most answers were right the first time (2 of 3)" in extractive_narrative(conversation).strengths


def test_the_text_model_is_asked_to_write_in_the_readers_language():
    model = ScriptedTextModel(['{"summary": "Bien.", "strengths": [], "weak_points": []}', '{"summary": "Résumé."}'])
    french = replace(LONG, reader_language="fr")
    asyncio.run(model_narrative(model, french))
    asyncio.run(model_summary(model, french))
    (report_system, _), (summary_system, _) = model.prompts
    assert "Write in French" in report_system and "Write in French" in summary_system
    assert '{"summary": "two or three sentences"' in report_system  # the JSON shape survived the template


SHORT = Conversation(
    lesson_title="Café", language="fr-FR", scenario="A café.", learner="Ana", tutor="Camille",
    turns=(TurnText(0, "tutor", "Bonjour !"), TurnText(1, "student", "Je voudrait un café")),
    corrections=(CorrectionText("Je voudrait", "Je voudrais", "word_order"),),
    objectives=("Order a drink",), minutes=0.3,
)  # fmt: skip


def test_the_extractive_report_counts_in_proper_plurals_and_names_kinds_in_words():
    narrative = extractive_narrative(SHORT)
    assert narrative.summary == (
        "1 answer in 18 s with Camille; 0 of 1 objective met; 1 correction. "
        "Of 1 question: 1 right the first time, 0 after a correction or a hint, 0 not managed."
    )
    assert narrative.weak_points == ("Word order: “Je voudrait” → “Je voudrais”",)
    two = replace(SHORT, turns=(*SHORT.turns, TurnText(2, "student", "Oui")), objectives=(), corrections=())
    assert extractive_narrative(two).summary.startswith(
        "2 answers in 18 s with Camille; 0 corrections. Of 2 questions:"
    )


def test_an_extractive_report_of_a_silent_session_says_who_did_not_answer():
    silent = replace(SHORT, turns=SHORT.turns[:1])
    assert extractive_narrative(silent).summary == "The session with Camille ended before Ana answered."


def test_the_extractive_report_lists_each_correction_with_its_rule_most_frequent_kind_first():
    corrections = (
        CorrectionText("Je voudrai un croisant", "Je voudrais un croissant", "grammar", turn=1,
                       rule="Conjugation of «vouloir»: «voudrais», not «voudrai».\nSpelling: «croissant»."),
        CorrectionText("Un thé", "Un café", "vocabulary", turn=3, rule="Word choice: «café», not «thé»."),
        CorrectionText("Je voudrai un croisant", "Je voudrais un croissant", "grammar", turn=5),  # the same again
        CorrectionText("Par carde", "Par carte", "spelling", turn=7),
        CorrectionText("Je voudrait payer", "Je voudrais payer", "grammar", turn=9),
    )  # fmt: skip
    narrative = extractive_narrative(replace(SHORT, corrections=corrections))
    assert narrative.weak_points == (
        "Grammar: “Je voudrai un croisant” → “Je voudrais un croissant” "
        "(Conjugation of «vouloir»: «voudrais», not «voudrai». Spelling: «croissant».)",
        "Grammar: “Je voudrait payer” → “Je voudrais payer”",
        "Vocabulary: “Un thé” → “Un café” (Word choice: «café», not «thé».)",
        "Spelling: “Par carde” → “Par carte”",
    )


def test_the_text_model_is_given_each_corrections_rule():
    model = ScriptedTextModel(['{"summary": "Bien.", "strengths": [], "weak_points": []}'])
    rule = "Conjugation of «vouloir»: «voudrais», not «voudrai».\nSpelling: «croissant»."
    corrections = (CorrectionText("Je voudrai un croisant", "Je voudrais un croissant", "grammar", rule=rule),)
    asyncio.run(model_narrative(model, replace(SHORT, corrections=corrections)))
    [(_, prompt)] = model.prompts
    assert (
        "«Je voudrai un croisant» → «Je voudrais un croissant» (grammar: Conjugation of «vouloir»: «voudrais», "
        "not «voudrai». Spelling: «croissant».)"
    ) in prompt
