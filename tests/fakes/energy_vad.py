"""The fake service's server VAD: loudness in 10 ms frames on the audio timeline, never the wall clock.

The real server VAD is a model whose `threshold` is a speech probability; here a frame counts as speech
when its RMS level (full scale 1.0) reaches threshold / 20, so 0.5 means about -32 dBFS: a spoken
tone passes, silence and a quiet room do not. Time is counted in appended audio, so a test that sends
a second of audio in a millisecond still gets the same events as a student talking in real time.
"""

from dataclasses import dataclass
from typing import Literal

import numpy as np

RATE = 24_000
FRAME_MS = 10
_FRAME_BYTES = RATE * FRAME_MS // 1000 * 2


@dataclass(frozen=True, slots=True)
class VadEvent:
    kind: Literal["started", "stopped"]
    at_ms: int  # on the session's input audio timeline


class EnergyVad:
    def __init__(self, *, threshold: float, prefix_padding_ms: int, silence_duration_ms: int) -> None:
        self.level = threshold / 20
        self.prefix_padding_ms = prefix_padding_ms
        self.silence_duration_ms = silence_duration_ms
        self.speaking = False
        self.position_ms = 0
        self._silent_ms = 0
        self._partial = b""

    def feed(self, pcm: bytes) -> list[VadEvent]:
        data = self._partial + pcm
        whole = len(data) - len(data) % _FRAME_BYTES
        self._partial = data[whole:]
        events = []
        for start in range(0, whole, _FRAME_BYTES):
            samples = np.frombuffer(data[start : start + _FRAME_BYTES], dtype="<i2").astype(np.float64) / 32768
            loud = float(np.sqrt(np.mean(samples * samples))) >= self.level
            self.position_ms += FRAME_MS
            if loud and not self.speaking:
                self.speaking, self._silent_ms = True, 0
                events.append(VadEvent("started", max(0, self.position_ms - FRAME_MS - self.prefix_padding_ms)))
            elif self.speaking:
                self._silent_ms = 0 if loud else self._silent_ms + FRAME_MS
                if self._silent_ms >= self.silence_duration_ms:
                    self.speaking = False
                    events.append(VadEvent("stopped", self.position_ms))
        return events

    def reset(self) -> None:
        """A manual commit ends the utterance without a `speech_stopped`."""
        self.speaking, self._silent_ms = False, 0
