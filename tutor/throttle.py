"""Input arriving faster than a person produces it: a little is tolerated, more is dropped, a flood of
audio is closed.

A browser sends 16 kHz audio at real-time pace; after a network stall it may send a burst. A client
that keeps sending faster than speech can be spoken is broken or hostile: its excess is dropped, and
when the excess passes a limit the socket is closed. Both limits are token buckets whose credit never
grows beyond the burst: a long silence does not bank minutes of allowance. Pictures, and frames of a
shared camera or screen, are spaced by a minimum interval each.
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
    def __init__(self, pace: AudioPace | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        pace = pace or AudioPace()
        self._max_speedup = pace.max_speedup
        self._burst_ms = pace.burst_seconds * 1000
        self._close_after_ms = pace.close_after_seconds * 1000
        self._clock = clock
        self._credit_ms = self._burst_ms
        self._at = clock()
        self.dropped_ms = 0.0

    def admit(self, audio_ms: float) -> Admit:
        now = self._clock()
        self._credit_ms = min(self._burst_ms, self._credit_ms + (now - self._at) * 1000 * self._max_speedup)
        self._at = now
        if audio_ms <= self._credit_ms:
            self._credit_ms -= audio_ms
            return Admit.OK
        self.dropped_ms += audio_ms
        return Admit.CLOSE if self.dropped_ms > self._close_after_ms else Admit.DROP


@dataclass(frozen=True, slots=True)
class TypingPace:
    """How many typed messages a student may send at once, and how many a minute after that."""

    burst: int = 5
    per_minute: float = 20.0


class TypingThrottle:
    """Typed messages beyond the pace are refused (a `too_fast` error): they are not turns."""

    def __init__(self, pace: TypingPace | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._pace = pace or TypingPace()
        self._clock = clock
        self._credit = float(self._pace.burst)
        self._at = clock()

    def admit(self) -> bool:
        now = self._clock()
        self._credit = min(float(self._pace.burst), self._credit + (now - self._at) * self._pace.per_minute / 60)
        self._at = now
        if self._credit >= 1:
            self._credit -= 1
            return True
        return False


class IntervalThrottle:
    """At most one item per `min_seconds`: a picture (the rest are refused with `too_fast`) or a frame of a
    shared camera or screen (the rest are dropped without a word: the next frame is already on its way)."""

    def __init__(self, min_seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._min_seconds = min_seconds
        self._clock = clock
        self._last: float | None = None

    def admit(self) -> bool:
        now = self._clock()
        if self._last is not None and now - self._last < self._min_seconds:
            return False
        self._last = now
        return True
