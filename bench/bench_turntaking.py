"""Turn-taking on the test split of the eSpeak corpus (voices, speeds and sentences the thresholds were not
chosen on; bench/turntaking_corpus.py), per demo language, with the chosen detector (Silero's VAD, final
lowering at each pause) and, pooled over the languages, the alternatives it was chosen against: Smart
Turn v3.2 at its own threshold, silence alone (every turn waits the level's patience), WebRTC's VAD.

- end of a finished answer to the end of turn decided, p50 and p95, at an A1 learner's patience (the
  longest: a finished answer the model hears as unfinished waits it out);
- cut-offs: mid-phrase pauses (0.5-2.5 s, with or without a filler) inside which the turn ended, judged
  at each level whose patience is at least the pause;
- backchannels and coughs while the tutor speaks taken as interruptions; real interruptions caught, and
  how long after their start;
- a stuck student (an answer begun, then silence): the cue shown before the turn ends at the patience;
  a student who says nothing: offered help (`Stuck`) at the patience.
The model's answers arrive as late as it took to compute them here. CPU: bench_turntaking_load.py.
"""

import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from tutor.patience import PATIENCE
from tutor.turntaking import prosody
from tutor.turntaking.model import smart_turn
from tutor.turntaking.policy import TurnPolicy
from tutor.turntaking.vad import SileroVad, Vad, WebRtcVad

from . import Row
from .turntaking_corpus import LANGUAGES, Case, corpus
from .turntaking_sim import Verdicts, levels_covering, outcome, percentile, replay, silence_only, smart_turn_verdicts

NAME = "turn-taking"
A1 = PATIENCE["patient"].end_silence_ms


class Tally:
    """One configuration's results on the split, by language."""

    def __init__(self) -> None:
        self.delays: dict[str, list[float]] = defaultdict(list)
        self.early: dict[str, int] = defaultdict(int)
        self.finished: dict[str, int] = defaultdict(int)
        self.cut: dict[str, int] = defaultdict(int)
        self.judged: dict[str, int] = defaultdict(int)
        self.cut_by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.taken: dict[str, int] = defaultdict(int)
        self.sounds: dict[str, int] = defaultdict(int)
        self.caught: dict[str, int] = defaultdict(int)
        self.real: dict[str, int] = defaultdict(int)
        self.interrupt_delays: list[float] = []
        self.cued, self.stuck_cases, self.stuck_on_time, self.silent, self.helped = 0, 0, 0, 0, 0

    def pooled(self, counts: dict[str, int]) -> int:
        return sum(counts.values())


def measure(cases: list[Case], policy: TurnPolicy, make_vad: Callable[[], Vad], verdicts: Verdicts) -> Tally:
    tally = Tally()
    for case in cases:
        language = case.language
        match case.kind:
            case "finished":
                result = outcome(case, replay(case, replace(policy, end_silence_ms=A1), make_vad(), verdicts))
                tally.finished[language] += 1
                delay = result.end_delay_ms
                tally.delays[language].append(delay if delay is not None else float(A1 + 1000))
                tally.early[language] += delay is not None and delay < A1 - 100
            case "pause" | "filler":
                for level in levels_covering(case.pause_ms[1] - case.pause_ms[0]):
                    patience = PATIENCE[level].end_silence_ms
                    judged = replace(policy, end_silence_ms=patience)
                    result = outcome(case, replay(case, judged, make_vad(), verdicts))
                    tally.judged[language] += 1
                    tally.cut[language] += result.cut_early
                    tally.cut_by_kind[case.kind][0] += result.cut_early
                    tally.cut_by_kind[case.kind][1] += 1
            case "backchannel" | "cough":
                result = outcome(case, replay(case, policy, make_vad(), verdicts))
                tally.sounds[language] += 1
                tally.taken[language] += result.interrupted
            case "interruption":
                result = outcome(case, replay(case, policy, make_vad(), verdicts))
                tally.real[language] += 1
                tally.caught[language] += result.interrupted
                if result.interrupt_delay_ms is not None:
                    tally.interrupt_delays.append(result.interrupt_delay_ms)
            case "stuck":
                result = outcome(case, replay(case, replace(policy, end_silence_ms=A1), make_vad(), verdicts))
                tally.stuck_cases += 1
                tally.cued += result.cued
                tally.stuck_on_time += result.end_delay_ms is not None and abs(result.end_delay_ms - A1) <= 200
            case "silent":
                stuck = replace(policy, end_silence_ms=A1, stuck_after_ms=A1)
                result = outcome(case, replay(case, stuck, make_vad(), verdicts))
                tally.silent += 1
                tally.helped += result.stuck_at_ms is not None and abs(result.stuck_at_ms - A1) <= 100
    return tally


def _share(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def per_language(tally: Tally) -> list[Row]:
    rows = []
    for language in LANGUAGES:
        delays = tally.delays[language]
        rows += [
            Row(NAME, f"end of a finished answer to end of turn, p50 ({language})", percentile(delays, 0.5), "ms",
                f"A1 patience {A1} ms; {tally.early[language]} of {len(delays)} answers heard as finished; "
                "target <= 250"),
            Row(NAME, f"end of a finished answer to end of turn, p95 ({language})", percentile(delays, 0.95), "ms",
                "target <= 400"),
            Row(NAME, f"cut-offs on mid-phrase pauses up to the patience ({language})",
                _share(tally.cut[language], tally.judged[language]), "%",
                f"{tally.cut[language]} of {tally.judged[language]} (pause, level) pairs; target <= 3"),
            Row(NAME, f"backchannels and coughs taken as interruptions ({language})",
                _share(tally.taken[language], tally.sounds[language]), "%",
                f"{tally.taken[language]} of {tally.sounds[language]}; target <= 5"),
            Row(NAME, f"real interruptions caught ({language})", _share(tally.caught[language], tally.real[language]),
                "%", f"{tally.caught[language]} of {tally.real[language]}"),
        ]  # fmt: skip
    return rows


def overall(tally: Tally, label: str) -> list[Row]:
    delays = [d for values in tally.delays.values() for d in values]
    early, finished = tally.pooled(tally.early), tally.pooled(tally.finished)
    fast = [d for d in delays if d < A1 - 100]
    pause, filler = tally.cut_by_kind["pause"], tally.cut_by_kind["filler"]
    rows = [
        Row(NAME, f"{label}: end of a finished answer to end of turn, p50", percentile(delays, 0.5), "ms",
            f"p95 {percentile(delays, 0.95):.0f} ms; {early} of {finished} heard as finished"),
        Row(NAME, f"{label}: cut-offs on mid-phrase pauses",
            _share(tally.pooled(tally.cut), tally.pooled(tally.judged)), "%",
            f"without a filler {_share(*pause):.1f} %, with one {_share(*filler):.1f} %"),
        Row(NAME, f"{label}: backchannels and coughs taken as interruptions",
            _share(tally.pooled(tally.taken), tally.pooled(tally.sounds)), "%",
            f"real ones caught {_share(tally.pooled(tally.caught), tally.pooled(tally.real)):.0f} %"),
    ]  # fmt: skip
    if fast:  # none when nothing is heard as finished (silence only)
        rows.insert(1, Row(NAME, f"{label}: the same, answers heard as finished only, p50", percentile(fast, 0.5),
                           "ms", f"p95 {percentile(fast, 0.95):.0f} ms"))  # fmt: skip
    return rows


def run() -> list[Row]:
    cases = list(corpus("test"))
    chosen = TurnPolicy()
    final_lowering = Verdicts(prosody.probability)
    tally = measure(cases, chosen, SileroVad, final_lowering)
    rows = per_language(tally)
    rows += overall(tally, "chosen (Silero VAD, final lowering)")
    rows += [
        Row(NAME, "real interruption: its start to the decision, p50", percentile(tally.interrupt_delays, 0.5), "ms",
            f"p95 {percentile(tally.interrupt_delays, 0.95):.0f} ms; a host lowers the tutor's volume at SoundStarted"),
        Row(NAME, "stuck mid-answer: the cue shown before the turn ends", _share(tally.cued, tally.stuck_cases), "%",
            f"and ended at the patience (±200 ms) in {_share(tally.stuck_on_time, tally.stuck_cases):.0f} %"),
        Row(NAME, "silent after the tutor: help offered at the patience (±100 ms)",
            _share(tally.helped, tally.silent), "%", f"{tally.silent} silences"),
        Row(NAME, "final lowering: CPU per pause heard, median", percentile(final_lowering.computed_ms, 0.5), "ms",
            f"{len(final_lowering.computed_ms)} utterances; wall time on this machine"),
    ]  # fmt: skip
    if os.environ.get("BENCH_QUICK"):
        return rows
    smart = smart_turn_verdicts(smart_turn())
    rows += overall(measure(cases, chosen, SileroVad, smart), "Smart Turn v3.2 (threshold 0.5)")
    rows.append(Row(NAME, "Smart Turn v3.2: time per pause heard, median", percentile(smart.computed_ms, 0.5), "ms",
                    f"{len(smart.computed_ms)} utterances; one thread"))  # fmt: skip
    rows += overall(measure(cases, chosen, SileroVad, silence_only()), "silence only (the level's patience)")
    rows += overall(measure(cases, chosen, lambda: WebRtcVad(2), final_lowering), "WebRTC VAD (2), final lowering")
    rows += overall(measure(cases, chosen, lambda: WebRtcVad(3), final_lowering), "WebRTC VAD (3), final lowering")
    return rows
