"""Final lowering: an utterance whose voice ends low in the speaker's own pitch range sounds finished.

A declarative answer ends with the pitch falling to the bottom of the speaker's range; a learner who stops
mid-phrase to find a word holds the pitch level or lets it rise, and a filler ("euh", "äh") is held flat.
Two numbers are heard: where the voice is, within the speaker's range over the last few seconds, at its
last 80 ms and its last 250 ms; a logistic function of them (weights fitted on the corpus's tuning split,
`python -m bench.turntaking_train`) is the probability that the utterance is finished. It errs on the side
of waiting: a question's final rise sounds unfinished, and waits for the level's patience.

`make bench` measured it against Smart Turn v3.2 on the eSpeak corpus (docs/turn-taking.md): at the same
share of mid-phrase pauses cut off, it finishes more answers early, and it costs a few milliseconds instead of tens.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np

RATE = 16_000
HOP = 160  # 10 ms
FRAME = 640  # 40 ms: two periods of a 50 Hz voice
LOWEST_HZ, HIGHEST_HZ = 70, 400
HEARD_S = 2.5  # the range is the speaker's over the last seconds
# Fitted by bench/turntaking_train.py: standardisation, then weights of (level over 80 ms, over 250 ms);
# the bias holds the threshold the tuning split chose, so the utterance is finished from 0.5.
MEANS = (0.4144, 0.3684)
SCALES = (0.3501, 0.2650)
WEIGHTS = (-1.4621, -0.2095)
BIAS = -2.6850


def pitch(signal: np.ndarray) -> np.ndarray:
    """F0 in Hz per 10 ms (0 where unvoiced or quiet), by normalised autocorrelation."""
    count = 1 + max(0, (signal.size - FRAME) // HOP)
    if signal.size < FRAME:
        return np.zeros(0)
    frames = np.lib.stride_tricks.sliding_window_view(signal, FRAME)[::HOP][:count]
    frames = frames - frames.mean(axis=1, keepdims=True)
    loudness = np.sqrt((frames**2).mean(axis=1))
    correlation = np.fft.irfft(np.abs(np.fft.rfft(frames, 2 * FRAME, axis=1)) ** 2, axis=1)[:, :FRAME]
    correlation /= correlation[:, :1] + 1e-12
    shortest, longest = RATE // HIGHEST_HZ, RATE // LOWEST_HZ
    lag = shortest + np.argmax(correlation[:, shortest:longest], axis=1)
    periodic = correlation[np.arange(count), lag] > 0.45
    loud = loudness > loudness.max() * 0.05
    return np.where(periodic & loud, RATE / lag, 0.0)


def final_levels(pcm: bytes) -> tuple[float, float] | None:
    """Where the voice ends within the speaker's range (0 its bottom, 1 its top), over its last 80 and
    250 ms of voicing; None when too little was voiced to tell."""
    signal = np.frombuffer(pcm, dtype="<i2")[-int(RATE * HEARD_S) :].astype(np.float64) / 32768
    f0 = pitch(signal)
    voiced = np.flatnonzero(f0 > 0)
    if voiced.size < 5:
        return None
    semitones = 12 * np.log2(f0[voiced] / 100)
    bottom, top = np.percentile(semitones, 5), np.percentile(semitones, 95)
    span = max(1.0, top - bottom)  # a monotone voice: a semitone, so noise is no "range"

    def level(ms: int) -> float:
        last = semitones[voiced > voiced[-1] - ms // 10]
        return float((np.median(last) - bottom) / span)

    return level(80), level(250)


def probability(pcm: bytes) -> float:
    levels = final_levels(pcm)
    if levels is None:
        return 0.0
    score = BIAS + sum(w * (x - m) / s for w, x, m, s in zip(WEIGHTS, levels, MEANS, SCALES, strict=True))
    return float(1 / (1 + np.exp(-score)))


_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="final-lowering")


class FinalLowering:
    """The turn model of `probability`: a few milliseconds of numpy per pause, on one thread of the process
    shared by every session, so that no session's frames wait behind another's pause."""

    async def probability(self, pcm: bytes) -> float:
        return await asyncio.get_running_loop().run_in_executor(_thread, probability, pcm)
