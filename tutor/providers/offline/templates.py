"""eSpeak NG's renderings of the answers a step can hear, as features with the span of each written word."""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import tts
from .features import RATE, STEP, utterance_features

# Two voices and two speeds: a man's and a woman's, and the slow pace learners tend to speak at.
VOICES: tuple[tuple[str, str], ...] = (("f2", "natural"), ("m3", "slow"))


@dataclass(frozen=True, slots=True)
class Template:
    text: str
    features: np.ndarray  # frames x cepstra, normalized (features.normalized)
    words: tuple[str, ...]  # the written words, punctuation stripped
    spans: tuple[tuple[int, int], ...]  # each word's template frames [start, end)


def written_words(text: str) -> list[tuple[str, int, int]]:
    """Words with their character span, punctuation around them stripped. Japanese and Chinese write no
    spaces: there their punctuation (、。) separates the words instead."""
    words, start = [], None
    for index, char in enumerate(text + " "):
        if char.isspace() or char in _CJK_BREAKS:
            if start is not None:
                word = text[start:index]
                lead = len(word) - len(word.lstrip(_PUNCTUATION))
                stripped = word.strip(_PUNCTUATION)
                if stripped:
                    words.append((stripped, start + lead, start + lead + len(stripped)))
                start = None
        elif start is None:
            start = index
    return words or [(text.strip(), 0, len(text))]


_CJK_BREAKS = "、。，！？「」『』・"  # noqa: RUF001 (ideographic punctuation)
_PUNCTUATION = "".join(
    chr(c) for c in range(0x3100) if unicodedata.category(chr(c))[0] in "PS" and not chr(c).isspace()
)


@lru_cache(maxsize=1024)
def template(text: str, language: str, voice: str, pace: str) -> Template:
    speech = tts.speak_words(text, language=language, rate=RATE, variant=voice, pace=pace)
    features, frames = utterance_features(speech.pcm)
    words = written_words(text)
    starts = []
    for _, char_start, char_end in words:
        inside = [mark.sample for mark in speech.words if char_start <= mark.start_char < char_end]
        starts.append(int(np.searchsorted(frames, min(inside) // STEP)) if inside else None)
    spans = _spans(starts, len(features))
    return Template(text=text, features=features, words=tuple(w for w, _, _ in words), spans=spans)


def _spans(starts: list[int | None], frames: int) -> tuple[tuple[int, int], ...]:
    """Each word runs from its start to the next word's; a word eSpeak gave no mark shares its neighbour's."""
    known = [max(0, min(s, frames - 1)) if s is not None else None for s in starts]
    if known and known[0] is None:
        known[0] = 0
    for index in range(1, len(known)):
        if known[index] is None or known[index] < known[index - 1]:
            known[index] = known[index - 1]
    ends = [*known[1:], frames]
    spans = []
    for start, end in zip(known, ends, strict=True):
        spans.append((start, end) if end > start else (max(0, start - 1), start + 1 if start < frames else frames))
    return tuple(spans)
