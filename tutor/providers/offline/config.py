"""The offline tutor's settings."""

from dataclasses import dataclass


@dataclass(frozen=True)
class OfflineConfig:
    chunk_ms: int = 40
    lead_ms: int = 300  # audio is sent this far ahead of real time, like the networked services
    # After its last sample is due, the browser's jitter buffer still plays this long: the tutor is
    # still heard, so speech over it is still a barge-in.
    playback_margin_ms: int = 200
    # False (tests): send each line at once and finish its turn at once; nothing is left to interrupt.
    realtime: bool = True
    recognize_speech: bool = True
