"""The searches that chose turn-taking's defaults, on the tuning split only (`python -m bench.turntaking_tune`):
each VAD with the silence at which the model is asked, the interruption's length and the silence that ends
a short sound, the level gate, and the turn models. Prints one line per setting; `make bench` reports the
chosen one on the test split (the model's own threshold: bench/turntaking_train.py)."""

import itertools
import sys
from collections import defaultdict
from dataclasses import replace

from tutor.patience import PATIENCE
from tutor.turntaking import prosody
from tutor.turntaking.model import smart_turn
from tutor.turntaking.policy import TurnPolicy
from tutor.turntaking.vad import SileroVad, WebRtcVad

from .turntaking_corpus import corpus
from .turntaking_sim import (
    Verdicts,
    levels_covering,
    outcome,
    percentile,
    replay,
    silence_only,
    smart_turn_verdicts,
)

VADS = {"webrtc2": lambda: WebRtcVad(2), "webrtc3": lambda: WebRtcVad(3), "silero": SileroVad}


def evaluate(split: str, vad_name: str, policy: TurnPolicy, verdicts, languages=None) -> dict:
    cases = [c for c in corpus(split) if languages is None or c.language in languages]
    make_vad = VADS[vad_name]
    delays, cuts_finished, finished = [], 0, 0
    cut, judged = defaultdict(int), defaultdict(int)
    taken, sounds, caught, real, interrupt_delays = 0, 0, 0, 0, []
    for case in cases:
        if case.kind == "finished":
            result = outcome(case, replay(case, replace(policy, end_silence_ms=1500), make_vad(), verdicts))
            finished += 1
            cuts_finished += result.cut_early
            delays.append(result.end_delay_ms if result.end_delay_ms is not None else 1500.0)
        elif case.kind in ("pause", "filler"):
            pause = case.pause_ms[1] - case.pause_ms[0]
            for level in levels_covering(pause):
                patience = PATIENCE[level].end_silence_ms
                result = outcome(case, replay(case, replace(policy, end_silence_ms=patience), make_vad(), verdicts))
                judged[case.language] += 1
                cut[case.language] += result.cut_early
        elif case.kind in ("backchannel", "cough"):
            result = outcome(case, replay(case, policy, make_vad(), verdicts))
            sounds += 1
            taken += result.interrupted
        elif case.kind == "interruption":
            result = outcome(case, replay(case, policy, make_vad(), verdicts))
            real += 1
            caught += result.interrupted
            if result.interrupt_delay_ms is not None:
                interrupt_delays.append(result.interrupt_delay_ms)
    return {
        "p50": percentile(delays, 0.5),
        "p95": percentile(delays, 0.95),
        "finished_cut": 100 * cuts_finished / max(1, finished),
        "cut": {k: round(100 * cut[k] / judged[k], 1) for k in judged},
        "cut_all": 100 * sum(cut.values()) / max(1, sum(judged.values())),
        "sounds_taken": 100 * taken / max(1, sounds),
        "real_caught": 100 * caught / max(1, real),
        "interrupt_p50": percentile(interrupt_delays, 0.5),
    }


def main() -> None:
    """`python -m bench.turntaking_tune [check|interrupt|gate|models]`: one search, or all of them."""
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    final_lowering = Verdicts(prosody.probability)
    if which in ("all", "check"):
        for vad_name, check in itertools.product(VADS, ((120,), (160,), (200,))):
            policy = TurnPolicy(check_after_ms=check)
            print(vad_name, "check", check, evaluate("tuning", vad_name, policy, final_lowering), flush=True)
    if which in ("all", "interrupt"):
        for vad_name, interrupt, end in itertools.product(VADS, (500, 600, 700, 800), (150, 200, 300)):
            policy = TurnPolicy(interrupt_ms=interrupt, sound_end_ms=end)
            print(vad_name, "interrupt", interrupt, end, evaluate("tuning", vad_name, policy, final_lowering))
    if which in ("all", "gate"):
        for gate in (-60.0, -50.0, -45.0, -40.0):
            print("gate", gate, evaluate("tuning", "silero", TurnPolicy(gate_dbfs=gate), final_lowering), flush=True)
    if which in ("all", "models"):
        for name, verdicts in (
            ("final lowering", final_lowering),
            ("Smart Turn v3.2", smart_turn_verdicts(smart_turn())),
            ("silence only", silence_only()),
        ):
            print(name, evaluate("tuning", "silero", TurnPolicy(), verdicts), flush=True)


if __name__ == "__main__":
    main()
