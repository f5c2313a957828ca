"""MFCC features of 16 kHz speech, the recognizer's view of an utterance and of eSpeak's renderings."""

import numpy as np

from ...audio import INPUT_RATE as RATE  # what the browser sends and every recognizer hears

FRAME = 400  # 25 ms
HOP = 160  # 10 ms between analysis frames
STEP = 2 * HOP  # 20 ms: pairs of analysis frames are averaged into one feature frame, for a quarter of the work
N_FFT = 512
N_MELS = 26
N_CEPS = 13


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


def samples(pcm16k: bytes) -> np.ndarray:
    return np.frombuffer(pcm16k, dtype="<i2").astype(np.float64) / 32768


def mfcc(signal: np.ndarray) -> np.ndarray:
    """Frames x 13 cepstra of `signal` (floats at 16 kHz), one frame every 10 ms."""
    if signal.size < FRAME:
        return np.zeros((0, N_CEPS))
    emphasized = np.append(signal[0], signal[1:] - 0.97 * signal[:-1])
    count = 1 + (emphasized.size - FRAME) // HOP
    frames = np.lib.stride_tricks.sliding_window_view(emphasized, FRAME)[::HOP][:count] * _WINDOW
    power = np.abs(np.fft.rfft(frames, N_FFT)) ** 2 / N_FFT
    return np.log(power @ _BANK.T + 1e-10) @ _DCT.T


def loud_span(signal: np.ndarray) -> tuple[int, int]:
    """First and last sample of the 10 ms frames louder than 5% of the loudest (eSpeak's and the VAD's
    silence around speech)."""
    frames = signal.size // HOP
    if frames == 0:
        return 0, signal.size
    energy = np.sqrt((signal[: frames * HOP].reshape(frames, HOP) ** 2).mean(axis=1))
    loud = np.flatnonzero(energy > max(energy.max() * 0.05, 1e-4))
    return (int(loud[0]) * HOP, (int(loud[-1]) + 1) * HOP) if loud.size else (0, 0)


def normalized(features: np.ndarray) -> np.ndarray:
    """c1-c12, each to zero mean and unit variance over the voiced frames: that removes the microphone's
    colouring and much of the speaker's, and drops c0 (loudness), which says nothing of the words."""
    if not len(features):
        return np.zeros((0, N_CEPS - 1), dtype=np.float32)
    voiced = voiced_frames(features)
    reference = features[voiced] if voiced.sum() > 1 else features
    scaled = (features - reference.mean(axis=0)) / (reference.std(axis=0) + 1e-6)
    return scaled[:, 1:].astype(np.float32)


MAX_GAP_FRAMES = 8  # a learner's pause inside a phrase is cut to 160 ms: eSpeak does not pause there


def utterance_features(pcm16k: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Normalized features (one frame every 20 ms) of the loud part of `pcm16k`, its long pauses shortened,
    and for each frame kept the frame of the original audio it came from."""
    signal = samples(pcm16k)
    first, last = loud_span(signal)
    analysed = mfcc(signal[first:last])
    pairs = len(analysed) // 2
    raw = analysed[: pairs * 2].reshape(pairs, 2, N_CEPS).mean(axis=1)
    quiet = ~voiced_frames(raw)
    run = np.zeros(len(raw), dtype=int)
    for index in range(len(raw)):
        run[index] = run[index - 1] + 1 if quiet[index] and index else int(quiet[index])
    kept = np.flatnonzero(run <= MAX_GAP_FRAMES)
    return normalized(raw[kept]), kept + first // STEP


def voiced_frames(features: np.ndarray) -> np.ndarray:
    """Frames within 30 dB of the loudest (c0 sums the bands' log energies)."""
    if not len(features):
        return np.zeros(0, dtype=bool)
    energy = features[:, 0]
    return energy > energy.max() - N_MELS * np.log(1000)
