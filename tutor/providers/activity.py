"""Audio held back while no student turn is under way, for a service whose turns the app decides (manual
activity, docs/turn-taking.md): it is sent a turn's audio only, and the moment before the app heard the
turn begin goes with it, since the detector decides some 150 ms into the speech (`start_ms`, the VAD's lag)."""

from ..audio import INPUT_RATE, bytes_for_ms

PREROLL_MS = 500  # more than the detector's start delay and its own preroll (300 ms)


class Preroll:
    """The newest `ms` of microphone audio, oldest dropped first."""

    def __init__(self, ms: float = PREROLL_MS) -> None:
        self._limit = bytes_for_ms(ms, INPUT_RATE)
        self._pcm = bytearray()

    def hold(self, pcm16_16k: bytes) -> None:
        self._pcm += pcm16_16k
        if len(self._pcm) > self._limit:
            del self._pcm[: len(self._pcm) - self._limit]

    def take(self) -> bytes:
        pcm = bytes(self._pcm)
        self._pcm.clear()
        return pcm
