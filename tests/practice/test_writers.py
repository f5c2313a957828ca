import asyncio

import pytest

from practice.writers import Conversation, CorrectionText, TurnText, extractive_summary, model_narrative
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
    assert "Phrase numéro 59" in text and "«je suis faim» → «j'ai faim» (grammar)" in text


def test_a_narrative_that_is_not_json_is_a_retryable_failure():
    with pytest.raises(TextModelError) as caught:
        asyncio.run(model_narrative(ScriptedTextModel(["Sure! Here is the report."]), LONG))
    assert caught.value.retryable
