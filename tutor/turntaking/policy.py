"""Every threshold of turn-taking in one value; the defaults are the ones the tuning split chose
(`python -m bench.turntaking_tune`, docs/turn-taking.md), the patience is the level's (tutor/patience.py)."""

from dataclasses import dataclass, replace

from ..patience import Patience


@dataclass(frozen=True, slots=True)
class TurnPolicy:
    end_silence_ms: int = 800  # an unfinished utterance's turn ends after this silence: the level's patience
    check_after_ms: tuple[int, ...] = (160,)  # the silences at which the turn model is asked
    threshold: float = 0.5  # the model's probability from which an utterance counts as finished
    cue_after_ms: int = 450  # an unfinished utterance's pause this long shows "Take your time…"
    start_ms: int = 120  # voiced audio within `window_ms` that starts a turn
    window_ms: int = 300
    interrupt_ms: int = 700  # voiced audio while the tutor speaks that makes an interruption
    sound_end_ms: int = 300  # the silence that ends a short sound heard while the tutor speaks
    stuck_after_ms: int = 0  # silence after the tutor's turn that makes the student stuck (0: never said)
    preroll_ms: int = 300  # audio kept from before a start: the VAD hears speech a little after it began
    max_turn_ms: int = 30_000
    gate_dbfs: float = -45.0  # quieter frames are silence without asking the VAD (a browser's AGC puts speech
    # near -25 dBFS; a room's noise floor is near -50)

    @classmethod
    def for_patience(cls, patience: Patience, **changes: object) -> "TurnPolicy":
        """The level's patience as the end silence; a stuck student is noticed after the same silence."""
        silence = patience.end_silence_ms
        return replace(cls(end_silence_ms=silence, stuck_after_ms=silence), **changes)
