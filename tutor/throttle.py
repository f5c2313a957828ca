"""Audio arriving faster than real time: a little is tolerated, more is dropped, a flood is closed.

A browser sends 16 kHz audio at real-time pace; after a network stall it may send a burst. A client
that keeps sending faster than speech can be spoken is broken or hostile: its excess is dropped, and
when the excess passes a limit the socket is closed.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Admit(StrEnum):
    OK = "ok"
    DROP = "drop"
    CLOSE = "close"


@dataclass(frozen=True, slots=True)
class AudioPace:
    """How far ahead of real time a browser may send: tolerated, dropped, then closed (docs/protocol.md)."""

    max_speedup: float = 1.5
    burst_seconds: float = 2.0
    close_after_seconds: float = 5.0


class AudioThrottle:
    def __init__(self, pace: AudioPace = AudioPace(), *, clock: Callable[[], float] = time.monotonic) -> None:
        self._max_speedup = pace.max_speedup
        self._burst_ms = pace.burst_seconds * 1000
        self._close_after_ms = pace.close_after_seconds * 1000
        self._clock = clock
        self._started = clock()
        self._accepted_ms = 0.0
        self.dropped_ms = 0.0

    def admit(self, audio_ms: float) -> Admit:
        allowance = self._burst_ms + (self._clock() - self._started) * 1000 * self._max_speedup
        if self._accepted_ms + audio_ms <= allowance:
            self._accepted_ms += audio_ms
            return Admit.OK
        self.dropped_ms += audio_ms
        return Admit.CLOSE if self.dropped_ms > self._close_after_ms else Admit.DROP
