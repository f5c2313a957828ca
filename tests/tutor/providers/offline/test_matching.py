import pytest

from tutor.providers.offline.matching import Verdict, assess, normalize, words_in

CAFE = ("Je voudrais un café, s'il vous plaît", "Un café, s'il vous plaît", "Je voudrais un café")


def test_case_punctuation_and_latin_accents_do_not_matter():
    assert assess("je voudrais un cafe s'il vous plait", CAFE, language="fr-FR").verdict is Verdict.RIGHT


def test_kana_voicing_marks_still_matter():
    assert normalize("がくせい") != normalize("かくせい")
    assert assess("かくせいです", ("がくせいです",), language="ja-JP").verdict is not Verdict.RIGHT


@pytest.mark.parametrize(
    ("answer", "category", "accepted"),
    [
        ("Je voudrait un café", "grammar", False),
        ("Je voudrias un café", "spelling", True),
        ("Je voudrais un thé", "vocabulary", False),
        ("Je voudrais café", "grammar", False),
        ("un café je voudrais", "word_order", False),
    ],
)
def test_close_answers_get_a_category_and_an_explanation(answer, category, accepted):
    result = assess(answer, CAFE, language="fr-FR")
    assert (result.verdict, result.category, result.accepted) == (Verdict.CLOSE, category, accepted)
    assert "«" in result.explanation


def test_explanations_quote_the_words_as_written():
    assert assess("Je voudrais un thé", CAFE, language="fr-FR").explanation == "The word here is «café», not «thé»."


def test_something_else_entirely_is_wrong():
    assert assess("Où est la gare ?", CAFE, language="fr-FR").verdict is Verdict.WRONG


def test_lesson_words_are_found_whole_in_both_scripts():
    assert words_in("Je voudrais un café merci", ("un café", "merci", "l'addition")) == ["un café", "merci"]
    assert words_in("mercis", ("merci",)) == []
    assert words_in("すしがすきです", ("すき", "です", "はじめまして")) == ["すき", "です"]


def test_explanations_come_in_the_students_own_language():
    def explained(answer: str, language: str) -> str:
        return assess(answer, CAFE, language="fr-FR", explain_in=language).explanation

    assert explained("Je voudrait un café", "es") == "Aquí se dice «voudrais», no «voudrait»."
    assert explained("un café je voudrais", "de-AT").startswith("Dieselben Wörter")
    assert explained("Je voudrais café", "ko") == "Missing: «un»."
