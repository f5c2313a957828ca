"""A card's answer, typed or said, graded as a lesson grades it: the offline tutor's own check
(tutor/providers/offline/matching.py `assess`) and, for speech, its recognizer in its worker processes
(recognizer.py, pool.py), listening for the card's answer among the student's other cards of that language (known
wrong answers, as a lesson's other sentences are). The verdict suggests an FSRS rating, which the student may change:
right (or only misspelled) is Good, close is Hard, wrong is Again; speech that was not understood suggests nothing.
"""

import asyncio
import dataclasses
import difflib
from dataclasses import dataclass

from django.conf import settings

from tutor.providers.offline import free_speech, pool, recognizer
from tutor.providers.offline.matching import Assessment, Verdict, assess, normalize
from tutor.providers.offline.templates import written_words

from .models import Card, Rating

UNHEARD = "unheard"  # said, but nothing the recognizer could place: say it again, or type it
MAX_SPEECH_SECONDS = 15


@dataclass(frozen=True)
class Part:
    text: str
    changed: bool  # not in the other side: what differs


@dataclass(frozen=True)
class HeardWord:
    word: str
    confidence: float  # 0-1: an estimate from the recognizer's alignment
    unclear: bool


@dataclass(frozen=True)
class Graded:
    verdict: str  # a matching.Verdict, or UNHEARD
    said: str  # what was typed or heard ("" when nothing was)
    expected: str
    said_parts: tuple[Part, ...]
    expected_parts: tuple[Part, ...]
    category: str  # the kind of mistake of a close answer
    explanation: str  # in the reader's language
    rating: int | None  # the FSRS rating suggested; None: nothing to go on
    spoken: bool
    words: tuple[HeardWord, ...] = ()  # a pronunciation estimate, for an answer heard

    @property
    def accepted(self) -> bool:
        return self.rating == Rating.GOOD


def suggested_rating(assessment: Assessment) -> int:
    if assessment.accepted:
        return Rating.GOOD
    return Rating.HARD if assessment.verdict == Verdict.CLOSE else Rating.AGAIN


def grade_typed(card: Card, text: str, *, explain_in: str) -> Graded:
    return _graded(card, text.strip(), assess(text, (card.back,), language=card.language, explain_in=explain_in))


def speech_request(card: Card, pcm: bytes, *, others: tuple[str, ...]) -> recognizer.Request:
    """What the recognizer needs (the answers rendered by eSpeak NG): CPU-bound, call it off the event loop. A card
    whose answer another card's holds ("un café, s'il vous plaît" in "je voudrais un café, s'il vous plaît") is said
    when that longer one is, and a shorter one inside the answer is said with it: neither is a wrong answer to tell
    apart."""
    apart = tuple(other for other in others if not _nested(normalize(card.back), normalize(other)))
    model = free_speech.model_for(card.language, settings.TUTOR.offline.speech_models)
    return recognizer.request(pcm, (card.back,), language=card.language, others=apart, speech_model=model)


def _nested(one: str, other: str) -> bool:
    """Whether either text holds the other: as whole words, or, in a script written without spaces, as characters."""
    if " " in one or " " in other or one.isascii():
        return f" {one} " in f" {other} " or f" {other} " in f" {one} "
    return one in other or other in one


async def grade_spoken(card: Card, pcm: bytes, *, others: tuple[str, ...], explain_in: str) -> Graded:
    """The recognition runs in the recognizer's worker processes, so a server's other sessions never wait on it."""
    job = await asyncio.to_thread(speech_request, card, pcm, others=others)
    result = await pool.recognize(job, workers=settings.TUTOR.offline.recognizer_workers)
    if result.text is not None:
        graded = _graded(card, result.text, assess(result.text, (card.back,), language=card.language), spoken=True)
        unclear_below = settings.TUTOR.offline.unclear_below
        words = tuple(HeardWord(w.word, w.confidence, w.confidence < unclear_below) for w in result.words)
        return dataclasses.replace(graded, words=words)
    heard = result.other or result.transcript
    if heard:
        assessment = await asyncio.to_thread(assess, heard, (card.back,), language=card.language, explain_in=explain_in)
        if result.other or assessment.verdict != Verdict.WRONG:  # a free guess far from the answer is no answer
            return _graded(card, heard, assessment, spoken=True)
    return Graded(UNHEARD, "", card.back, (), _parts(card.back, ""), "", "", None, spoken=True)


def _graded(card: Card, said: str, assessment: Assessment, *, spoken: bool = False) -> Graded:
    return Graded(
        verdict=str(assessment.verdict),
        said=said,
        expected=card.back,
        said_parts=_parts(said, card.back) if said else (),
        expected_parts=_parts(card.back, said),
        category=assessment.category,
        explanation=assessment.explanation,
        rating=suggested_rating(assessment),
        spoken=spoken,
    )


def _parts(text: str, other: str) -> tuple[Part, ...]:
    """`text` word by word, each marked when the other side has no such word there (case, accents and punctuation
    aside, as the grading compares)."""
    words = [word for word, _start, _end in written_words(text)] if text.strip() else []
    theirs = [normalize(word) for word, _start, _end in written_words(other)] if other.strip() else []
    matcher = difflib.SequenceMatcher(a=[normalize(word) for word in words], b=theirs, autojunk=False)
    same = {index for block in matcher.get_matching_blocks() for index in range(block.a, block.a + block.size)}
    return tuple(Part(word, index not in same) for index, word in enumerate(words))
