"""The rule a mistake breaks, named, from the grader's own category (grading.py) and the two forms it compared.

A grammar mistake is told apart: two forms of one verb are conjugation, two forms of another word agreement, two
determiners an article, other function words a grammar word, and in Japanese a particle or a verb ending. A word is
a verb when its dictionary form has its language's infinitive ending (German's verbs are the lower-case ones, and
a noun's plural such as bière/bières is no verb); English has no such ending, so there a form in -ed or -ing, an
auxiliary, or any other pair not after a determiner or a number is a verb. Spelling stays spelling, vocabulary is
word choice, and a missing word, an extra word and a moved one are as the word alignment (matching.py) found them.
Each rule is one line in the student's language (explanations.py `rule_line`); measured on the grading corpus
(tests/tutor/providers/offline/test_rules.py, bench/bench_offline_grading.py).
"""

from dataclasses import dataclass

from . import grading
from .explanations import rule_line

GRAMMAR_KINDS = ("conjugation", "agreement", "article", "grammar_word", "particle", "verb_ending")
KINDS = (*GRAMMAR_KINDS, "spelling", "word_choice", "missing_word", "extra_word", "word_order")

INFINITIVE_ENDINGS: dict[str, tuple[str, ...]] = {
    "fr": ("er", "ir", "re", "oir"),
    "es": ("ar", "er", "ir", "ír"),
    "it": ("are", "ere", "ire", "rre"),
    "pt": ("ar", "er", "ir", "or", "ôr"),
    "de": ("en", "ern", "eln"),
}
PLURAL_ENDINGS = ("s", "x", "es")
ENGLISH_AUXILIARIES = frozenset(("be", "have", "do", "can", "will", "shall", "may", "must"))
ENGLISH_NUMBERS = frozenset(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"))
# Before a noun, not a verb ("this" and "that" are left out: "that sounds great").
ENGLISH_NOUN_MARKERS = (
    grading.DETERMINERS["en"]
    | ENGLISH_NUMBERS
    | frozenset(("these", "those", "some", "many", "few", "several", "no", "every", "each"))
)


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str  # one of KINDS
    right: str = ""  # as the expected answer writes it
    wrong: str = ""  # as the student had it
    lemma: str = ""  # the verb, for a conjugation

    def line(self, language: str) -> str:
        return rule_line(self.kind, language, right=self.right, wrong=self.wrong, lemma=self.lemma)


def written(rules: tuple[Rule, ...], language: str) -> str:
    """The rules as the student reads them: one line each, in `language`, none twice."""
    return "\n".join(dict.fromkeys(rule.line(language) for rule in rules))


def of_pair(
    category: str, said: str, meant: str, language: str, *, shown: tuple[str, str], before: str = ""
) -> tuple[Rule, ...]:
    """The rule of one word said instead of another, which grading.pair put in `category`: `said` and `meant`
    normalized (matching.normalize), `shown` as written, `before` the (normalized) word before it in the answer
    expected."""
    shown_said, shown_meant = shown
    if category == "spelling":
        return (Rule("spelling", shown_meant, shown_said),)
    if category != "grammar":
        return (Rule("word_choice", shown_meant, shown_said),)
    lang = grading.base(language)
    if lang == "ja":
        return tuple(_japanese(kind, wrong, right) for kind, wrong, right in grading.japanese_grammar(said, meant))
    determiners = grading.DETERMINERS.get(lang, frozenset())
    if said in determiners and meant in determiners:
        return (Rule("article", shown_meant, shown_said),)
    if grading.same_word(shown_said, shown_meant, lang):
        lemma = grading.lemma(shown_meant, lang) or shown_meant
        if _verb(lemma, shown_said.casefold(), shown_meant.casefold(), lang, before):
            return (Rule("conjugation", shown_meant, shown_said, lemma),)
        return (Rule("agreement", shown_meant, shown_said),)
    return (Rule("grammar_word", shown_meant, shown_said),)


def missing(word: str) -> Rule:
    return Rule("missing_word", right=word)


def extra(word: str) -> Rule:
    return Rule("extra_word", wrong=word)


def word_order(expected: str) -> Rule:
    return Rule("word_order", right=expected)


def _japanese(kind: str, wrong: str, right: str) -> Rule:
    if not wrong:
        return missing(right)
    if not right:
        return extra(wrong)
    return Rule(kind, right, wrong)


def _verb(lemma: str, said: str, meant: str, lang: str, before: str) -> bool:
    if lang == "en":
        if lemma in ENGLISH_AUXILIARIES or any(form.endswith(("ed", "ing")) for form in (said, meant)):
            return True
        return before not in ENGLISH_NOUN_MARKERS
    endings = INFINITIVE_ENDINGS.get(lang, ())
    if not lemma.endswith(endings) or (lang == "de" and not lemma[:1].islower()):
        return False
    singular = lemma.casefold()
    return not any({said, meant} == {singular, singular + ending} for ending in PLURAL_ENDINGS)
