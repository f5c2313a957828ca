"""Checking a student's answer against the lesson's expected answers (rapidfuzz).

Comparison ignores case, punctuation and, in Latin scripts, accents (a keyboard without é is not a
mistake worth a correction), but keeps kana voicing marks, which change Japanese words.
"""

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .explanations import explanation

CLOSE_SCORE = 72.0  # at or above: close but wrong, worth a correction


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


def assess(answer: str, expected: tuple[str, ...], *, explain_in: str = "en") -> Assessment:
    """`explain_in`: the student's own language, for the explanation of a close answer."""
    said = normalize(answer)
    for option in expected:
        if said == normalize(option):
            return Assessment(Verdict.RIGHT, option, 100.0)
    for option in expected:
        if sorted(said.split()) == sorted(normalize(option).split()):
            text = explanation("word_order", explain_in, expected=option)
            return Assessment(Verdict.CLOSE, option, 90.0, "word_order", text)
    score, best = max((fuzz.ratio(said, normalize(option)), option) for option in expected)
    if score >= CLOSE_SCORE:
        category, text = explain(answer, best, explain_in)
        return Assessment(Verdict.CLOSE, best, score, category, text)
    return Assessment(Verdict.WRONG, best, score)


def _words(text: str) -> list[str]:
    """Words as written (case and accents kept), split where normalize() splits."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(" " if unicodedata.category(c)[0] in "PSZ" else c for c in text).split()


def explain(answer: str, expected: str, language: str = "en") -> tuple[str, str]:
    """A category and a one-line explanation, from how the words differ."""
    said_shown, expected_shown = _words(answer), _words(expected)
    said_words, expected_words = [normalize(w) for w in said_shown], [normalize(w) for w in expected_shown]
    ops = Levenshtein.editops(said_words, expected_words)
    replaced = [(op.src_pos, op.dest_pos) for op in ops if op.tag == "replace"]
    missing = [expected_shown[op.dest_pos] for op in ops if op.tag == "insert"]
    extra = [said_shown[op.src_pos] for op in ops if op.tag == "delete"]
    if len(replaced) == 1 and not missing and not extra:
        src, dest = replaced[0]
        wrong, right = said_shown[src], expected_shown[dest]
        if sorted(said_words[src]) != sorted(expected_words[dest]) and _shares_stem(
            said_words[src], expected_words[dest]
        ):
            return "grammar", explanation("inflection", language, wrong=wrong, right=right)
        if fuzz.ratio(said_words[src], expected_words[dest]) >= 60:
            return "spelling", explanation("spelling", language, wrong=wrong, right=right)
        return "vocabulary", explanation("vocabulary", language, wrong=wrong, right=right)
    if missing and not replaced and not extra:
        return "grammar", explanation("missing", language, words=", ".join(f"«{word}»" for word in missing))
    if extra and not replaced and not missing:
        return "grammar", explanation("extra", language, words=", ".join(f"«{word}»" for word in extra))
    return "grammar", explanation("compare", language, expected=expected)


def _shares_stem(wrong: str, right: str) -> bool:
    """Same beginning, different ending: an inflection (voudrait / voudrais)."""
    stem = 0
    for a, b in zip(wrong, right, strict=False):
        if a != b:
            break
        stem += 1
    return stem >= 3 and stem >= min(len(wrong), len(right)) - 3


def words_in(answer: str, terms: tuple[str, ...]) -> list[str]:
    """The lesson terms that occur in the answer (accent- and case-insensitive, whole words)."""
    said = f" {normalize(answer)} "
    found = []
    for term in terms:
        needle = normalize(term)
        if needle and (f" {needle} " in said or (not said.isascii() and needle in said)):
            found.append(term)
    return found
