"""Grading by kind on the labelled corpus of learner mistakes (grading_corpus.py)."""

from collections import Counter

import pytest

from tutor.providers.offline.grading import pair
from tutor.providers.offline.matching import Verdict, assess

from .grading_corpus import CASES


def graded(case) -> tuple[str, bool]:
    result = assess(case.answer, case.expected, language=case.language)
    return (result.category if result.verdict is Verdict.CLOSE else result.verdict.value), result.accepted


def test_the_corpus_has_eighty_mistakes_in_five_languages_one_without_spaces():
    assert len(CASES) >= 80
    assert {case.language for case in CASES} == {"fr-FR", "es-ES", "de-DE", "ja-JP", "en-GB"}


def test_each_category_is_labelled_right_nine_times_in_ten():
    right, total = Counter(), Counter()
    for case in CASES:
        total[case.category] += 1
        right[case.category] += graded(case)[0] == case.category
    assert {category: right[category] / total[category] >= 0.9 for category in total} == dict.fromkeys(total, True)


def test_only_spelling_slips_are_accepted_and_a_grammar_mistake_never_is():
    accepted = {case.answer for case in CASES if graded(case)[1]}
    assert all(case.category == "spelling" for case in CASES if case.answer in accepted)
    assert not any(graded(case)[1] for case in CASES if case.category == "grammar")


@pytest.mark.parametrize(
    ("wrong", "right", "language", "kind"),
    [
        ("voudrait", "voudrais", "fr-FR", "grammar"),  # one verb, two forms
        ("une", "un", "fr-FR", "grammar"),  # two articles
        ("croisant", "croissant", "fr-FR", "spelling"),
        ("the", "cafe", "fr-FR", "vocabulary"),
        ("grate", "great", "en-GB", "spelling"),  # two real words a letter apart
        ("を", "が", "ja-JP", "grammar"),  # two particles
        ("すしをすきです", "すしがすきです", "ja-JP", "grammar"),
        ("すきてす", "すきです", "ja-JP", "spelling"),  # a voicing mark
    ],
)
def test_a_word_said_instead_of_another_gets_its_kind(wrong, right, language, kind):
    assert pair(wrong, right, language) == kind


def test_a_wrong_article_is_corrected_not_praised():
    result = assess("Je voudrais les pommes", ("Je voudrais des pommes",), language="fr-FR")
    assert (result.category, result.accepted) == ("grammar", False)
    assert result.explanation == "«les» should be «des» here."
