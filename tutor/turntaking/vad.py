"""Voice activity on each frame of the student's 16 kHz audio: WebRTC's VAD or Silero's, one interface.

`make bench` (rows "turn-taking") measures both inside the detector; the detector's default is the one
that measured best (docs/turn-taking.md). A frame quieter than the gate is silence without asking either:
a silent microphone then costs one mean of squares per frame.
"""

from functools import cache
from typing import Protocol

import numpy as np
import onnxruntime
import webrtcvad

from .model import onnx_session, packaged_file

RATE = 16_000
SILERO_FILE = "pipecat/audio/vad/data/silero_vad.onnx"


class Vad(Protocol):
    frame_samples: int  # the frame it judges, in samples at 16 kHz

    def is_speech(self, frame: bytes) -> bool: ...


class WebRtcVad:
    """Google's WebRTC VAD (a GMM on band energies): microseconds a frame."""

    frame_samples = 320  # 20 ms

    def __init__(self, aggressiveness: int = 2) -> None:
        self._vad = webrtcvad.Vad(aggressiveness)

    def is_speech(self, frame: bytes) -> bool:
        return self._vad.is_speech(frame, RATE)


@cache
def _silero_session() -> onnxruntime.InferenceSession:
    """One session for every stream of the process: the recurrent state is passed in, not kept in it."""
    return onnx_session(packaged_file(SILERO_FILE))


class SileroVad:
    """Silero VAD v5 (ONNX, from the pipecat-ai wheel): a small network, about 0.1 ms a 32 ms frame."""

    frame_samples = 512  # 32 ms, the model's window
    _context = 64  # the samples of the previous frame the model sees

    def __init__(self, threshold: float = 0.5) -> None:
        self._session = _silero_session()
        self._threshold = threshold
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._previous = np.zeros(self._context, dtype=np.float32)
        self._rate = np.array(RATE, dtype=np.int64)

    def probability(self, frame: bytes) -> float:
        samples = np.frombuffer(frame, dtype="<i2").astype(np.float32) / 32768.0
        window = np.concatenate((self._previous, samples))[None, :]
        output, self._state = self._session.run(None, {"input": window, "state": self._state, "sr": self._rate})
        self._previous = samples[-self._context :]
        return float(output[0, 0])

    def is_speech(self, frame: bytes) -> bool:
        return self.probability(frame) >= self._threshold


def level_dbfs(frame: bytes) -> float:
    """The frame's RMS level in dB below full scale."""
    samples = np.frombuffer(frame, dtype="<i2").astype(np.float32)
    return 10 * float(np.log10(float(np.dot(samples, samples)) / max(1, samples.size) + 1e-9)) - 90.309
