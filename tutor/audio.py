"""PCM16 helpers: durations, chunking and resampling (soxr)."""

from collections.abc import Iterator

import numpy as np
import soxr

INPUT_RATE = 16_000  # browser microphone, every provider
OUTPUT_RATE = 24_000  # tutor speech, every provider
BYTES_PER_SAMPLE = 2


def duration_ms(pcm: bytes, rate: int) -> float:
    return len(pcm) / BYTES_PER_SAMPLE / rate * 1000


def bytes_for_ms(ms: float, rate: int) -> int:
    """Whole samples only, so a cut never splits a sample."""
    return int(rate * ms / 1000) * BYTES_PER_SAMPLE


def to_samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2")


def to_bytes(samples: np.ndarray) -> bytes:
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


def resample(pcm: bytes, from_rate: int, to_rate: int) -> bytes:
    """Band-limited resampling of a whole buffer (for a stream, use StreamResampler)."""
    if from_rate == to_rate or not pcm:
        return pcm
    return to_bytes(soxr.resample(to_samples(pcm), from_rate, to_rate, quality="HQ"))


class StreamResampler:
    """Resamples a stream chunk by chunk without clicks at chunk edges (soxr keeps the filter state).

    soxr's better qualities work in blocks and hold audio back until one is full (HQ gives 16→24 kHz out
    in 734-sample blocks: up to 30 ms late, nothing at all for some 20 ms frames); "QQ" (cubic
    interpolation) gives each chunk out at once, which suits a live stream whose band ends at 8 kHz anyway.
    """

    def __init__(self, from_rate: int, to_rate: int, *, quality: str = "HQ") -> None:
        self._same = from_rate == to_rate
        self._stream = (
            None if self._same else soxr.ResampleStream(from_rate, to_rate, 1, dtype="int16", quality=quality)
        )

    def process(self, pcm: bytes, *, last: bool = False) -> bytes:
        if self._same:
            return pcm
        return self._stream.resample_chunk(to_samples(pcm), last=last).astype("<i2", copy=False).tobytes()


def chunks(pcm: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(pcm), size):
        yield pcm[start : start + size]


def silence(ms: float, rate: int) -> bytes:
    return bytes(bytes_for_ms(ms, rate))
