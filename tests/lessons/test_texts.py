"""A lesson's text for one reader: their language where the teacher translated it, else the lesson's own, marked."""

import pytest
from django.utils import translation

from lessons import texts
from lessons.models import Lesson, Purpose
from lessons.services.lessons import lesson_create
from lessons.spec import TextTranslation, VocabularySpec
from lessons.templatetags.lesson_text import shown_html
from tests.conftest import lesson_spec

pytestmark = pytest.mark.django_db

SPANISH = TextTranslation(
    title="Café en Lyon",
    student_scenario="Pides un café.",
    objectives=("Pedir una bebida", "Pedir la cuenta"),
)


@pytest.fixture
def translated(teacher) -> Lesson:
    spec = lesson_spec(
        translations={"es": SPANISH},
        vocabulary=(VocabularySpec("l'addition", "the bill", translations={"es": "la cuenta"}),),
    )
    return lesson_create(spec=spec, author=teacher)


def test_a_reader_of_a_translated_language_reads_the_translation(translated):
    assert texts.title(translated, "es") == texts.Shown("Café en Lyon", "es")
    assert texts.student_scenario(translated, "es").text == "Pides un café."
    assert [o.text for o in texts.objectives(translated, "es")] == ["Pedir una bebida", "Pedir la cuenta"]
    word = translated.vocabulary.get()
    assert texts.word_translation(word, translated, "es") == texts.Shown("la cuenta", "es")


def test_a_reader_of_another_language_reads_the_lessons_own_text_marked_as_such(translated):
    assert texts.title(translated, "de") == texts.Shown("Café in Lyon", "en", fallback=True)
    assert texts.word_translation(translated.vocabulary.get(), translated, "de") == texts.Shown("the bill", "en", True)
    assert texts.title(translated, "en") == texts.Shown("Café in Lyon", "en")  # its own language: no mark


def test_the_reader_is_the_page_language_by_default(translated):
    with translation.override("es-mx"):
        assert texts.title(translated).text == "Café en Lyon"


def test_an_objective_keeps_its_own_wording_as_its_key(translated):
    assert texts.objective(translated, "Ask for the bill", "es").text == "Pedir la cuenta"
    assert texts.objective(translated, "Something the tutor noted", "es").fallback  # not one of the lesson's


def test_without_a_student_scenario_the_made_up_one_uses_the_translated_goals(teacher):
    spanish = TextTranslation(objectives=("Uno", "Dos"))
    lesson = lesson_create(spec=lesson_spec(translations={"es": spanish}), author=teacher)
    assert texts.student_scenario(lesson, "es") == texts.Shown("Hablas con Camille. Tus objetivos: Uno; Dos.", "es")


def test_a_spoken_review_is_named_in_the_readers_language(teacher):
    review = Lesson.objects.create(
        title="Spoken review", language="fr-FR", level="A1", scenario="-", persona_name="Tutor", purpose=Purpose.REVIEW
    )
    assert texts.title(review, "es").text == "Repaso oral"
    assert texts.persona(review, "de") == "Tutor"  # German says so too
    assert texts.persona(review, "fr") == "Tuteur"


def test_a_fallback_carries_its_language_and_a_visible_mark():
    html = shown_html(texts.Shown("Café in Lyon", "en", fallback=True))
    assert '<span lang="en" dir="auto">Café in Lyon</span>' in html and 'class="badge untranslated"' in html


def test_word_cues_list_the_lessons_own_language_first(translated):
    assert texts.word_cues(translated.vocabulary.get(), translated) == [["en", "the bill"], ["es", "la cuenta"]]
