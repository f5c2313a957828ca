"""Which expected answer did the student say? A recognizer constrained to the lesson's answers.

Each expected answer is rendered by eSpeak NG in two voices; the student's utterance is compared with
every rendering by dynamic time warping over MFCC features. It can only choose among answers it
knows, so it also reports how sure it is, and below the threshold the tutor asks the student to type.
That is honest about its reach: it recognizes a learner who says the expected sentence clearly, and
never invents a transcript of anything else.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import tts

RATE = 16_000
FRAME = 400  # 25 ms
HOP = 160  # 10 ms
N_FFT = 512
N_MELS = 26
N_CEPS = 13
TEMPLATE_VOICES = ("f2", "m3")
MAX_DISTANCE = 12.5  # mean frame distance; measured: clear answers 5-11, one-word-off answers 14 and up
MIN_MARGIN = 0.12  # the best match must beat the runner-up by this share


@dataclass(frozen=True, slots=True)
class Recognition:
    text: str | None  # None: not sure enough
    distance: float
    margin: float


def _mel_filterbank() -> np.ndarray:
    def hz_to_mel(hz: np.ndarray) -> np.ndarray:
        return 2595 * np.log10(1 + hz / 700)

    mels = np.linspace(hz_to_mel(np.array(60.0)), hz_to_mel(np.array(RATE / 2 - 200)), N_MELS + 2)
    bins = np.floor((N_FFT + 1) * (700 * (10 ** (mels / 2595) - 1)) / RATE).astype(int)
    bank = np.zeros((N_MELS, N_FFT // 2 + 1))
    for m in range(1, N_MELS + 1):
        left, centre, right = bins[m - 1], bins[m], bins[m + 1]
        bank[m - 1, left:centre] = (np.arange(left, centre) - left) / max(centre - left, 1)
        bank[m - 1, centre:right] = (right - np.arange(centre, right)) / max(right - centre, 1)
    return bank


_BANK = _mel_filterbank()
_DCT = np.cos(np.pi / N_MELS * (np.arange(N_MELS) + 0.5)[None, :] * np.arange(N_CEPS)[:, None])
_WINDOW = np.hamming(FRAME)


def mfcc(pcm16k: bytes) -> np.ndarray:
    """Frames x 13 cepstra, mean-normalized per utterance (removes the microphone's colouring)."""
    signal = np.frombuffer(pcm16k, dtype="<i2").astype(np.float64) / 32768
    signal = _trim_silence(signal)
    if signal.size < FRAME:
        return np.zeros((0, N_CEPS))
    signal = np.append(signal[0], signal[1:] - 0.97 * signal[:-1])
    count = 1 + (signal.size - FRAME) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(signal, FRAME)[::HOP][:count] * _WINDOW
    power = np.abs(np.fft.rfft(frames, N_FFT)) ** 2 / N_FFT
    ceps = np.log(power @ _BANK.T + 1e-10) @ _DCT.T
    return ceps - ceps.mean(axis=0)


def _trim_silence(signal: np.ndarray) -> np.ndarray:
    """Cut leading and trailing quiet, which would otherwise dominate a short answer's alignment."""
    if signal.size < HOP:
        return signal
    energy = np.sqrt(np.convolve(signal**2, np.ones(HOP) / HOP, mode="same"))
    loud = np.flatnonzero(energy > max(energy.max() * 0.05, 1e-4))
    return signal[loud[0] : loud[-1] + 1] if loud.size else signal[:0]


def dtw_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Mean cost per step of the best alignment, filled one anti-diagonal at a time (numpy, no loops
    over cells)."""
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return float("inf")
    cost = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2))
    acc = np.full((n + 1, m + 1), np.inf)
    acc[0, 0] = 0.0
    for diagonal in range(2, n + m + 1):
        i = np.arange(max(1, diagonal - m), min(n, diagonal - 1) + 1)
        j = diagonal - i
        best = np.minimum(np.minimum(acc[i - 1, j - 1], acc[i - 1, j]), acc[i, j - 1])
        acc[i, j] = cost[i - 1, j - 1] + best
    return float(acc[n, m] / (n + m))


@lru_cache(maxsize=512)
def _template(text: str, language: str, voice: str) -> np.ndarray:
    return mfcc(tts.speak(text, language=language, rate=RATE, variant=voice))


def recognize(pcm16k: bytes, candidates: tuple[str, ...], *, language: str) -> Recognition:
    features = mfcc(pcm16k)
    if not candidates or len(features) < 10:
        return Recognition(text=None, distance=float("inf"), margin=0.0)
    scored = sorted(
        (min(dtw_distance(features, _template(text, language, voice)) for voice in TEMPLATE_VOICES), text)
        for text in dict.fromkeys(candidates)
    )
    best_distance, best_text = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else MAX_DISTANCE * 1.5
    margin = (runner_up - best_distance) / runner_up if runner_up > 0 else 0.0
    sure = best_distance <= MAX_DISTANCE and margin >= MIN_MARGIN
    return Recognition(text=best_text if sure else None, distance=best_distance, margin=margin)
