"""Turn detection on the student's 16 kHz audio with WebRTC's VAD (webrtcvad-wheels).

A turn starts after a run of voiced frames (so a cough or a click does not interrupt the tutor) and
ends after a stretch of silence. The utterance keeps a little audio from before the start, because
the VAD notices speech a few frames after it began.
"""

from collections import deque
from dataclasses import dataclass

import webrtcvad

RATE = 16_000
FRAME_MS = 20
FRAME_BYTES = RATE * FRAME_MS // 1000 * 2


@dataclass(frozen=True, slots=True)
class SpeechBegan:
    pass


@dataclass(frozen=True, slots=True)
class SpeechEnded:
    pcm: bytes  # the whole utterance, PCM16 16 kHz

    @property
    def duration_ms(self) -> float:
        return len(self.pcm) / 2 / RATE * 1000


VadEvent = SpeechBegan | SpeechEnded


class TurnDetector:
    def __init__(
        self,
        *,
        aggressiveness: int = 2,
        start_ms: int = 160,
        window_ms: int = 300,
        end_silence_ms: int = 700,
        preroll_ms: int = 300,
        max_utterance_ms: int = 15_000,
    ) -> None:
        self._vad = webrtcvad.Vad(aggressiveness)
        self._start_frames = start_ms // FRAME_MS
        self._window: deque[bool] = deque(maxlen=window_ms // FRAME_MS)
        self._end_frames = end_silence_ms // FRAME_MS
        self._preroll: deque[bytes] = deque(maxlen=preroll_ms // FRAME_MS)
        self._max_frames = max_utterance_ms // FRAME_MS
        self._pending = b""
        self._speaking = False
        self._utterance: list[bytes] = []
        self._silent_frames = 0

    def feed(self, pcm: bytes) -> list[VadEvent]:
        """Any chunk size; events come out as whole 20 ms frames are judged."""
        self._pending += pcm
        events: list[VadEvent] = []
        while len(self._pending) >= FRAME_BYTES:
            frame, self._pending = self._pending[:FRAME_BYTES], self._pending[FRAME_BYTES:]
            event = self._frame(frame, self._vad.is_speech(frame, RATE))
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> SpeechEnded | None:
        """The microphone went off: whatever was being said is the whole utterance."""
        self._pending = b""
        return self._end() if self._speaking else None

    def _frame(self, frame: bytes, voiced: bool) -> VadEvent | None:
        if not self._speaking:
            self._preroll.append(frame)
            self._window.append(voiced)
            if sum(self._window) >= self._start_frames:
                self._speaking = True
                self._utterance = list(self._preroll)
                self._silent_frames = 0
                self._window.clear()
                return SpeechBegan()
            return None
        self._utterance.append(frame)
        self._silent_frames = 0 if voiced else self._silent_frames + 1
        if self._silent_frames >= self._end_frames or len(self._utterance) >= self._max_frames:
            return self._end()
        return None

    def _end(self) -> SpeechEnded:
        trailing = min(self._silent_frames, len(self._utterance) - 1)
        pcm = b"".join(self._utterance[: len(self._utterance) - trailing])
        self._speaking, self._utterance, self._silent_frames = False, [], 0
        self._preroll.clear()
        return SpeechEnded(pcm=pcm)
