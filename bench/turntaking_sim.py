"""Turn-taking replayed on the corpus in audio time, as a browser sends it (40 ms frames), with the turn
model's answer arriving as late as the model took to compute it, and what each decision means.

The model's verdicts are kept per utterance heard (the same audio asked twice is computed once), so the
tuning search can try many thresholds and VADs on one set of model runs.
"""

import hashlib
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tutor.patience import PATIENCE
from tutor.turntaking.detector import Check, TurnDetector
from tutor.turntaking.events import Interruption, SpeechStarted, StillThinking, Stuck, TurnEnded, TurnEvent
from tutor.turntaking.model import SmartTurn
from tutor.turntaking.policy import TurnPolicy
from tutor.turntaking.vad import Vad

from .turntaking_corpus import Case

CHUNK_MS = 40
CHUNK_BYTES = 16 * CHUNK_MS * 2


@dataclass(frozen=True)
class Timed:
    at_ms: float  # when the decision was known: a verdict's events when the model answered
    event: TurnEvent


class Verdicts:
    """A turn model for the replay: (probability, milliseconds it took), computed once per utterance."""

    def __init__(self, probability: Callable[[bytes], float]) -> None:
        self._probability = probability
        self._known: dict[bytes, tuple[float, float]] = {}
        self.computed_ms: list[float] = []

    def __call__(self, pcm: bytes) -> tuple[float, float]:
        key = hashlib.blake2b(pcm, digest_size=16).digest()
        if key not in self._known:
            started = time.perf_counter()
            probability = self._probability(pcm)
            took = (time.perf_counter() - started) * 1000
            self.computed_ms.append(took)
            self._known[key] = (probability, took)
        return self._known[key]


def smart_turn_verdicts(model: SmartTurn) -> Verdicts:
    return Verdicts(lambda pcm: model.probabilities([pcm])[0])


def silence_only() -> Verdicts:
    """The alternative without a model: every pause is unfinished, every turn waits the level's patience."""
    return Verdicts(lambda pcm: 0.0)


def replay(
    case: Case, policy: TurnPolicy, vad: Vad, verdicts: Verdicts, *, model_ms: float | None = None
) -> list[Timed]:
    """Every decision on the case's audio. `model_ms`: a fixed model delay instead of the measured one."""
    detector = TurnDetector(policy, vad)
    out: list[Timed] = []
    waiting: list[tuple[float, Check, float]] = []  # (answer due, check, probability)
    if case.tutor_speaking or case.kind == "silent":
        detector.tutor_speaking(True)
    if case.kind == "silent":
        detector.tutor_speaking(False)
    for index in range(0, len(case.pcm) // CHUNK_BYTES):
        arrived = (index + 1) * CHUNK_MS
        while waiting and waiting[0][0] <= arrived - CHUNK_MS:
            due, check, probability = waiting.pop(0)
            out += [Timed(due, e) for e in detector.verdict(check, probability)]
        for item in detector.feed(case.pcm[index * CHUNK_BYTES : (index + 1) * CHUNK_BYTES]):
            if isinstance(item, Check):
                probability, took = verdicts(item.pcm)
                due = arrived + (took if model_ms is None else model_ms)
                waiting.append((due, item, probability))
                waiting.sort(key=lambda w: w[0])
            else:
                out.append(Timed(arrived, item))
    return out


def first(timed: Iterable[Timed], kind: type) -> Timed | None:
    return next((t for t in timed if isinstance(t.event, kind)), None)


@dataclass
class Outcome:
    """What a replay means for the case's labels."""

    end_delay_ms: float | None = None  # finished: the answer's end to the turn's end
    cut_early: bool = False  # the turn ended before the answer's last word
    cut_in_pause: bool = False  # pause, filler: the turn ended inside the mid-phrase silence
    cued: bool = False  # a StillThinking cue came before the turn ended
    interrupted: bool = False
    interrupt_delay_ms: float | None = None  # from the sound's start
    started: bool = False  # a turn started at all
    stuck_at_ms: float | None = None


def outcome(case: Case, timed: list[Timed]) -> Outcome:
    result = Outcome()
    ended = first(timed, TurnEnded)
    result.started = first(timed, SpeechStarted) is not None
    if case.kind in ("finished", "pause", "filler", "stuck") and ended is not None:
        if ended.at_ms < case.speech_end_ms - 20:
            result.cut_early = True
            if case.pause_ms is not None and case.pause_ms[0] - 20 <= ended.at_ms <= case.pause_ms[1] + 100:
                result.cut_in_pause = True
        elif case.kind == "finished":
            result.end_delay_ms = ended.at_ms - case.speech_end_ms
    if case.kind == "stuck" and ended is not None:
        result.end_delay_ms = ended.at_ms - case.speech_end_ms
    cue = first(timed, StillThinking)
    result.cued = cue is not None and (ended is None or cue.at_ms <= ended.at_ms)
    interruption = first(timed, Interruption)
    if interruption is not None and case.sound_ms is not None:
        result.interrupted = True
        result.interrupt_delay_ms = interruption.at_ms - case.sound_ms[0]
    stuck = first(timed, Stuck)
    result.stuck_at_ms = stuck.at_ms if stuck else None
    return result


def levels_covering(pause_ms: float) -> list[str]:
    """The patiences a mid-phrase pause of this length must not be cut off under."""
    return [name for name, patience in PATIENCE.items() if pause_ms <= patience.end_silence_ms]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]
