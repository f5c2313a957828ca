"""Sound for fakes and tests: tones that stand in for speech, and an energy detector that hears them."""

from dataclasses import dataclass

import numpy as np

from tutor.audio import bytes_for_ms, to_samples


def tone(ms: float, rate: int, *, hz: float = 220.0, dbfs: float = -20.0) -> bytes:
    """A sine at `dbfs` (RMS): loud enough to count as speech for any energy detector."""
    samples = int(rate * ms / 1000)
    amplitude = 32768 * 10 ** (dbfs / 20) * np.sqrt(2)
    wave = amplitude * np.sin(2 * np.pi * hz * np.arange(samples) / rate)
    return wave.astype("<i2").tobytes()


def rms_dbfs(pcm: bytes) -> float:
    """Loudness of a buffer in dB relative to full scale; -inf for digital silence."""
    samples = to_samples(pcm).astype(np.float64)
    if samples.size == 0:
        return float("-inf")
    rms = float(np.sqrt(np.mean(samples * samples)))
    return 20 * np.log10(rms / 32768) if rms > 0 else float("-inf")


def utterance(speech_ms: float = 600, pause_ms: float = 500, rate: int = 16_000) -> bytes:
    """A student saying something: speech, then the pause after which a VAD decides they are done."""
    return tone(speech_ms, rate) + bytes(bytes_for_ms(pause_ms, rate))


@dataclass
class SpeechEvents:
    started: bool = False
    ended: bool = False
    speech_ms: float = 0.0  # speech heard in this buffer


class EnergyDetector:
    """Voice activity by loudness in 20 ms frames, the way a simple server-side VAD works.

    Speech starts after `start_ms` of loud frames and ends after `silence_ms` of quiet ones. It
    depends only on the audio, never on when it arrived, so tests may send audio as fast as they like.
    """

    FRAME_MS = 20

    def __init__(self, *, rate: int = 16_000, threshold_dbfs: float = -40.0, start_ms: int = 40, silence_ms: int = 500):
        self._frame_bytes = bytes_for_ms(self.FRAME_MS, rate)
        self._threshold = threshold_dbfs
        self._start_ms = start_ms
        self.silence_ms = silence_ms
        self._pending = b""
        self._loud_ms = 0
        self._quiet_ms = 0
        self.speaking = False

    def feed(self, pcm: bytes) -> list[SpeechEvents]:
        """One entry per change of state, in order, with the speech heard before each change."""
        self._pending += pcm
        events: list[SpeechEvents] = []
        current = SpeechEvents()
        while len(self._pending) >= self._frame_bytes:
            frame, self._pending = self._pending[: self._frame_bytes], self._pending[self._frame_bytes :]
            loud = rms_dbfs(frame) > self._threshold
            if not self.speaking:
                self._loud_ms = self._loud_ms + self.FRAME_MS if loud else 0
                if self._loud_ms >= self._start_ms:
                    self.speaking, self._quiet_ms = True, 0
                    current.started = True
                    current.speech_ms += self._loud_ms
                    events.append(current)
                    current = SpeechEvents()
                continue
            if loud:
                self._quiet_ms = 0
                current.speech_ms += self.FRAME_MS
                continue
            self._quiet_ms += self.FRAME_MS
            if self._quiet_ms >= self.silence_ms:
                self.end()
                current.ended = True
                events.append(current)
                current = SpeechEvents()
        if current.speech_ms:
            events.append(current)
        return events

    def end(self) -> None:
        """The stream ended (or the client said so): whatever was being said is over."""
        self.speaking, self._loud_ms, self._quiet_ms = False, 0, 0
