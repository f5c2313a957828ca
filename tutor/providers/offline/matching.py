"""Checking a student's answer against the lesson's expected answers (rapidfuzz), and labelling a close
one by the kind of its mistake (grading.py).

Comparison ignores case, punctuation and, in Latin scripts, accents (a keyboard without é is not a
mistake worth a correction), but keeps kana voicing marks, which change Japanese words. Only a right
answer, or one with nothing but a spelling slip, is accepted: a grammar, vocabulary or word-order
mistake is corrected and asked again, never praised. A close answer's every mistake is named as a rule
(rules.py), and so is the one word of a wrong answer that is otherwise right.
"""

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from . import grading, rules
from .explanations import explanation
from .rules import Rule

CLOSE_SCORE = 72.0  # at or above: close but wrong, worth a correction
CLOSE_SCORE_UNSPACED = 60.0  # Japanese, compared by characters: one changed word weighs more


class Verdict(StrEnum):
    RIGHT = "right"
    CLOSE = "close"
    WRONG = "wrong"


@dataclass(frozen=True, slots=True)
class Assessment:
    verdict: Verdict
    expected: str  # the expected answer nearest to what the student said
    score: float
    category: str = ""
    explanation: str = ""
    rules: tuple[Rule, ...] = ()  # each mistake's rule, named
    rule: str = ""  # those rules as the student reads them, one line each

    @property
    def accepted(self) -> bool:
        """Right, or only misspelled: the lesson moves on (a spelling slip still gets its correction)."""
        return self.verdict == Verdict.RIGHT or (self.verdict == Verdict.CLOSE and self.category == "spelling")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        category = unicodedata.category(char)
        if category == "Mn" and out and out[-1].isascii():
            continue  # an accent on a Latin letter
        out.append(" " if category[0] in "PSZ" else char)
    return " ".join(unicodedata.normalize("NFC", "".join(out)).split())


def assess(answer: str, expected: tuple[str, ...], *, language: str, explain_in: str = "en") -> Assessment:
    """`language`: the lesson's; `explain_in`: the student's own, for the explanation of a close answer and its
    rules."""
    said = normalize(answer)
    for option in expected:
        if said == normalize(option):
            return Assessment(Verdict.RIGHT, option, 100.0)
    for option in expected:
        if sorted(said.split()) == sorted(normalize(option).split()):
            text = explanation("word_order", explain_in, expected=option)
            named = (rules.word_order(option),)
            return Assessment(Verdict.CLOSE, option, 90.0, "word_order", text, named, rules.written(named, explain_in))
    score, best = max((fuzz.ratio(said, normalize(option)), option) for option in expected)
    if score >= (CLOSE_SCORE if " " in normalize(best) else CLOSE_SCORE_UNSPACED):
        found = _compared(answer, best, language)
        category, text = _explained(found, explain_in, expected=best)
        return Assessment(Verdict.CLOSE, best, score, category, text, found.rules, found.rules_in(explain_in))
    named = _compared(answer, best, language).rules if _one_word_off(said, normalize(best)) else ()
    return Assessment(Verdict.WRONG, best, score, rules=named, rule=rules.written(named, explain_in))


def _one_word_off(said: str, expected: str) -> bool:
    """One word replaced and the rest right, in a phrase of more than one word: a wrong answer worth a rule."""
    said_words, expected_words = said.split(), expected.split()
    ops = Levenshtein.editops(said_words, expected_words)
    return len(expected_words) > 1 and len(ops) == 1 and ops[0].tag == "replace"


def _words(text: str) -> list[str]:
    """Words as written (case and accents kept), split where normalize() splits."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(" " if unicodedata.category(c)[0] in "PSZ" else c for c in text).split()


@dataclass(frozen=True, slots=True)
class _Comparison:
    """How an answer's words differ from the expected answer's: each replaced, missing or extra word, its kind
    (spelling, grammar, vocabulary) and its rule."""

    said: list[str]  # as written
    expected: list[str]
    replaced: list[tuple[int, int]]  # (position said, position expected)
    missing: list[int]  # positions expected
    extra: list[int]  # positions said
    kinds: list[str]  # of replaced, then missing, then extra
    rules: tuple[Rule, ...]

    def rules_in(self, language: str) -> str:
        return rules.written(self.rules, language)


def _compared(answer: str, expected: str, language: str) -> _Comparison:
    said_shown, expected_shown = _words(answer), _words(expected)
    said_words, expected_words = [normalize(w) for w in said_shown], [normalize(w) for w in expected_shown]
    ops = Levenshtein.editops(said_words, expected_words)
    replaced = [(op.src_pos, op.dest_pos) for op in ops if op.tag == "replace"]
    missing = [op.dest_pos for op in ops if op.tag == "insert"]
    extra = [op.src_pos for op in ops if op.tag == "delete"]
    kinds, named = [], []
    for s, d in replaced:
        kind = grading.pair(said_words[s], expected_words[d], language, written=(said_shown[s], expected_shown[d]))
        kinds.append(kind)
        before = expected_words[d - 1] if d else ""
        shown = (said_shown[s], expected_shown[d])
        named += rules.of_pair(kind, said_words[s], expected_words[d], language, shown=shown, before=before)
    kinds += ["grammar" if grading.is_function_word(expected_words[d], language) else "vocabulary" for d in missing]
    kinds += ["grammar" if grading.is_function_word(said_words[s], language) else "vocabulary" for s in extra]
    # A word both missing and extra has moved: its rule is the order of the words, said once.
    moved = {expected_words[d] for d in missing} & {said_words[s] for s in extra}
    named += [rules.missing(expected_shown[d]) for d in missing if expected_words[d] not in moved]
    named += [rules.extra(said_shown[s]) for s in extra if said_words[s] not in moved]
    if moved:
        named.append(rules.word_order(expected))
    return _Comparison(said_shown, expected_shown, replaced, missing, extra, kinds, tuple(named))


def _explained(found: _Comparison, explain_in: str, *, expected: str) -> tuple[str, str]:
    """A category and a one-line explanation (in `explain_in`), from how the words differ."""
    said_shown, expected_shown, kinds = found.said, found.expected, found.kinds
    replaced, missing, extra = found.replaced, found.missing, found.extra
    # The worst mistake names the answer: grammar, then vocabulary, then spelling.
    category = next((kind for kind in ("grammar", "vocabulary", "spelling") if kind in kinds), "spelling")
    if len(replaced) == 1 and not missing and not extra:
        (src, dest), kind = replaced[0], kinds[0]
        template = {"grammar": "inflection", "spelling": "spelling", "vocabulary": "vocabulary"}[kind]
        return category, explanation(template, explain_in, wrong=said_shown[src], right=expected_shown[dest])
    if missing and not replaced and not extra:
        words = ", ".join(f"«{expected_shown[d]}»" for d in missing)
        return category, explanation("missing", explain_in, words=words)
    if extra and not replaced and not missing:
        return category, explanation("extra", explain_in, words=", ".join(f"«{said_shown[s]}»" for s in extra))
    return category, explanation("compare", explain_in, expected=expected)


def words_in(answer: str, terms: tuple[str, ...]) -> list[str]:
    """The lesson terms that occur in the answer (accent- and case-insensitive, whole words)."""
    said = f" {normalize(answer)} "
    found = []
    for term in terms:
        needle = normalize(term)
        if needle and (f" {needle} " in said or (not said.isascii() and needle in said)):
            found.append(term)
    return found
