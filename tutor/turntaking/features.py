"""Whisper's log-mel features as Smart Turn v3 hears them: the last 8 s at 16 kHz, 80 mels, 800 frames.

The same arithmetic as `transformers.WhisperFeatureExtractor(chunk_length=8)` with `do_normalize=True`
(and pipecat's numpy copy of it, which the tests compare this to), so no `transformers` or `torch`. An
utterance shorter than 8 s is zero-padded in front; the frames that see only padding are all alike, so
their spectrum is computed once instead of once per frame: a 2 s answer costs a quarter of the work.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

RATE = 16_000
SAMPLES = 8 * RATE
N_FFT = 400
HOP = 160
N_MELS = 80
FRAMES = SAMPLES // HOP  # 800: the model's input is (80, 800)
_MEL_FLOOR = 1e-10
_VARIANCE_EPS = 1e-7


def _hertz_to_mel(hertz: np.ndarray) -> np.ndarray:
    """The Slaney mel scale: linear below 1 kHz, logarithmic above."""
    mels = 3.0 * hertz / 200.0
    high = hertz >= 1000.0
    mels[high] = 15.0 + np.log(hertz[high] / 1000.0) * (27.0 / np.log(6.4))
    return mels


def _mel_to_hertz(mels: np.ndarray) -> np.ndarray:
    hertz = 200.0 * mels / 3.0
    high = mels >= 15.0
    hertz[high] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mels[high] - 15.0))
    return hertz


def _mel_filters() -> np.ndarray:
    """Slaney-normalised triangular filters, (201 frequency bins, 80 mels)."""
    edges = _mel_to_hertz(np.linspace(*_hertz_to_mel(np.array([0.0, RATE / 2])), N_MELS + 2))
    bins = np.linspace(0, RATE // 2, N_FFT // 2 + 1)
    slopes = edges[None, :] - bins[:, None]
    widths = np.diff(edges)
    rising, falling = -slopes[:, :-2] / widths[:-1], slopes[:, 2:] / widths[1:]
    filters = np.maximum(0.0, np.minimum(rising, falling))
    return filters * (2.0 / (edges[2:] - edges[:-2]))[None, :]


_WINDOW = np.hanning(N_FFT + 1)[:-1]  # periodic Hann, as torch.hann_window
_FILTERS_T = np.ascontiguousarray(_mel_filters().T)  # (80, 201)
_WINDOW_POWER = np.abs(np.fft.rfft(_WINDOW)) ** 2  # the spectrum of a constant frame, per unit squared


def log_mel(audio: np.ndarray) -> np.ndarray:
    """(80, 800) float32 features of the last 8 s of `audio` (floats at 16 kHz, about -1..1)."""
    tail = np.asarray(audio, dtype=np.float32)[-SAMPLES:]
    padding = SAMPLES - tail.size
    signal = np.zeros(SAMPLES, dtype=np.float32)
    signal[padding:] = tail
    signal = (signal - signal.mean()) / np.sqrt(signal.var() + _VARIANCE_EPS)
    centred = np.pad(signal.astype(np.float64), (N_FFT // 2, N_FFT // 2), mode="reflect")
    # Frame t covers centred[t*HOP : t*HOP + N_FFT]; it sees only padding (one constant value, its reflection
    # included) while t*HOP + N_FFT <= padding + N_FFT // 2, and the reflection needs padding > N_FFT // 2.
    alike = (padding - N_FFT // 2) // HOP + 1 if padding > N_FFT // 2 else 0
    frames = sliding_window_view(centred[alike * HOP :], N_FFT)[::HOP][: FRAMES + 1 - alike]
    power = np.abs(np.fft.rfft(frames * _WINDOW, axis=-1)) ** 2  # (frames, 201)
    mel = np.empty((N_MELS, FRAMES + 1))
    mel[:, alike:] = _FILTERS_T @ power.T
    if alike:
        constant = float(signal[0])
        mel[:, :alike] = (_FILTERS_T @ (_WINDOW_POWER * constant * constant))[:, None]
    logs = np.log10(np.maximum(mel, _MEL_FLOOR))[:, :-1]  # the reference drops the last frame
    logs = np.maximum(logs, logs.max() - 8.0)
    return ((logs + 4.0) / 4.0).astype(np.float32)
