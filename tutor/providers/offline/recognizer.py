"""Which expected answer did the student say, and how clearly was each word heard?

A recognizer constrained to the lesson: each expected answer, and each other sentence of the lesson (the
answers of other steps, the vocabulary's examples: known wrong answers), is rendered by eSpeak NG and
searched for inside the utterance by subsequence dynamic time warping (alignment.py), so a greeting, a
filler or a repetition around the answer does not hide it.

An alignment is judged against the background: for each utterance frame, the nearest frame of any of
the lesson's renderings. A learner whose voice is far from eSpeak's is far from every rendering, so
that distance cancels; what remains is how much worse the answer fits than the lesson's sounds could.
An expected answer is heard when no stretch of it (200 ms) fits badly, which is what a changed word or
syllable does, and no known wrong answer fits better. How well each word fits becomes its confidence:
an estimate, and the tutor labels it so. It never invents a transcript: what it reports is one of the
lesson's sentences, or nothing.
"""

import math
from dataclasses import dataclass

import numpy as np

from .alignment import Alignment, align_all
from .features import RATE, STEP, utterance_features
from .free_speech import SpeechModel, transcriber
from .matching import normalize
from .templates import VOICES, Template, template

WINDOW = 10  # template frames (200 ms): a syllable or two
MAX_LOCAL = 1.8  # no window of an answer heard may fit worse than the background by more (calibrated)
MAX_LOCAL_OTHER = 2.1  # a known wrong answer heard is only shown and corrected, never accepted: a looser fit does
WORD_CLEAR = 0.95  # a word that fits within this of the background has a confidence of 0.5 or more
WORD_SLOPE = 0.15
MIN_FRAMES = 5


@dataclass(frozen=True, slots=True)
class HeardWord:
    word: str
    confidence: float  # 0-1, from how well the word fit: an estimate, not a measurement


@dataclass(frozen=True, slots=True)
class Recognition:
    text: str | None  # the expected answer heard, or None: not sure enough
    score: float  # the worst window of the best expected answer (lower is better)
    words: tuple[HeardWord, ...] = ()  # of `text`
    end_ms: float = 0.0  # where the answer ended in the utterance
    speech_end_ms: float = 0.0  # where the utterance's speech ended (the last loud 20 ms)
    other: str | None = None  # a known wrong answer that was heard instead
    transcript: str | None = None  # neither: what a free speech recognizer heard (free_speech.py)

    @property
    def trailing_ms(self) -> float:
        """Speech after the answer: the learner may be saying more."""
        return max(0.0, self.speech_end_ms - self.end_ms)


@dataclass(frozen=True, slots=True)
class Request:
    """What a recognition needs, as plain values that can cross to a worker process."""

    pcm: bytes
    expected: tuple[Template, ...]
    others: tuple[Template, ...] = ()
    speech_model: SpeechModel | None = None  # transcribe what none of the lesson's sentences fits

    @property
    def shortest_ms(self) -> float:
        """The shortest rendering of an expected answer."""
        return min((len(t.features) for t in self.expected), default=0) * STEP / RATE * 1000

    @property
    def longest_ms(self) -> float:
        return max((len(t.features) for t in self.expected), default=0) * STEP / RATE * 1000


def request(
    pcm: bytes,
    expected: tuple[str, ...],
    *,
    language: str,
    others: tuple[str, ...] = (),
    speech_model: SpeechModel | None = None,
) -> Request:
    """The step's answers and the known wrong answers, each in every template voice."""
    wanted = tuple(template(text, language, *voice) for text in dict.fromkeys(expected) for voice in VOICES)
    right = [f" {normalize(text)} " for text in expected]
    # A sentence inside an expected answer ("¿dónde está la estación?" in "... la estación de metro?") is
    # no wrong answer: it would fit as well as the answer that contains it.
    unique = {normalize(text): text for text in others if not any(f" {normalize(text)} " in answer for answer in right)}
    wrong = tuple(template(text, language, *voice) for text in unique.values() for voice in VOICES)
    return Request(pcm, wanted, wrong, speech_model)


def recognize(pcm: bytes, expected: tuple[str, ...], *, language: str, others: tuple[str, ...] = ()) -> Recognition:
    return run(request(pcm, expected, language=language, others=others))


def run(job: Request) -> Recognition:
    """The whole recognition, CPU-bound: run in a worker process (pool.py) or directly."""
    features, frames = utterance_features(job.pcm)
    if not job.expected or len(features) < MIN_FRAMES:
        return Recognition(text=None, score=math.inf)
    speech_end_ms = (int(frames[-1]) + 1) * STEP / RATE * 1000
    candidates = [*job.expected, *job.others]
    alignments, background = align_all([t.features for t in candidates], features)
    scored = [
        (_local_score(relative), candidate, alignment, relative)
        for candidate, alignment in zip(candidates, alignments, strict=True)
        for relative in [alignment.costs - background[alignment.frames]]
    ]
    expected, others = scored[: len(job.expected)], scored[len(job.expected) :]
    best_other = min(others, key=lambda entry: entry[0], default=None)
    bar = min(MAX_LOCAL, best_other[0]) if best_other is not None else MAX_LOCAL
    heard = [entry for entry in expected if entry[0] <= bar and entry[0] <= MAX_LOCAL]
    if heard:
        # Nested answers ("un café" inside "je voudrais un café"): the longest one heard says the most.
        score, chosen, alignment, relative = max(heard, key=lambda entry: (len(entry[1].features), -entry[0]))
        return Recognition(
            text=chosen.text,
            score=score,
            words=_words(chosen, relative),
            end_ms=(int(frames[alignment.end - 1]) + 1) * STEP / RATE * 1000,
            speech_end_ms=speech_end_ms,
        )
    nearest = min(entry[0] for entry in expected)
    other = best_other[1].text if best_other is not None and best_other[0] <= min(MAX_LOCAL_OTHER, nearest) else None
    transcript = None
    if other is None and job.speech_model is not None:
        transcript = transcriber(job.speech_model).transcribe(job.pcm).strip() or None
    return Recognition(text=None, score=nearest, speech_end_ms=speech_end_ms, other=other, transcript=transcript)


def _local_score(relative: np.ndarray) -> float:
    """The worst stretch of WINDOW frames: one changed syllable is enough to fail."""
    if len(relative) <= WINDOW:
        return float(relative.mean())
    sums = np.convolve(relative, np.ones(WINDOW), mode="valid")
    return float(sums.max() / WINDOW)


def _words(candidate: Template, relative: np.ndarray) -> tuple[HeardWord, ...]:
    words = []
    for word, (start, end) in zip(candidate.words, candidate.spans, strict=True):
        fit = float(relative[start:end].mean()) if end > start else 0.0
        words.append(HeardWord(word, round(1 / (1 + math.exp((fit - WORD_CLEAR) / WORD_SLOPE)), 2)))
    return tuple(words)


__all__ = ["Alignment", "HeardWord", "Recognition", "Request", "recognize", "request", "run"]
