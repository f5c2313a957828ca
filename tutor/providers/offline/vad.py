"""Turn detection on the student's 16 kHz audio with WebRTC's VAD (webrtcvad-wheels).

A turn starts after a run of voiced frames (so a cough or a click does not interrupt the tutor). A short
silence is a pause: the tutor is told (`SpeechPaused`, with the utterance so far) and may end the turn
at once if the expected answer was heard in it; otherwise the turn ends after the lesson's patience, a
longer silence. The utterance keeps a little audio from before the start, because the VAD notices speech
a few frames after it began. `bench/bench_offline_vad.py` measures this VAD against Silero's.
"""

from collections import deque
from dataclasses import dataclass

import webrtcvad

from ...audio import INPUT_RATE as RATE  # what the browser sends and every recognizer hears

FRAME_MS = 20
FRAME_BYTES = RATE * FRAME_MS // 1000 * 2


@dataclass(frozen=True, slots=True)
class SpeechBegan:
    pass


@dataclass(frozen=True, slots=True)
class SpeechPaused:
    """The student has been silent `silence_ms` in the middle of a turn; `pcm` is the utterance so far."""

    pcm: bytes
    silence_ms: int
    utterance: int  # which utterance: a later one makes this pause stale


@dataclass(frozen=True, slots=True)
class SpeechEnded:
    pcm: bytes  # the whole utterance, PCM16 16 kHz

    @property
    def duration_ms(self) -> float:
        return len(self.pcm) / 2 / RATE * 1000


VadEvent = SpeechBegan | SpeechPaused | SpeechEnded


class TurnDetector:
    def __init__(
        self,
        *,
        aggressiveness: int = 2,
        start_ms: int = 160,
        window_ms: int = 300,
        end_silence_ms: int = 800,
        pause_ms: tuple[int, ...] = (160, 480),
        preroll_ms: int = 300,
        max_utterance_ms: int = 15_000,
    ) -> None:
        self._vad = webrtcvad.Vad(aggressiveness)
        self._start_frames = start_ms // FRAME_MS
        self._window: deque[bool] = deque(maxlen=window_ms // FRAME_MS)
        self._end_frames = max(1, end_silence_ms // FRAME_MS)
        self._pause_frames = {ms // FRAME_MS for ms in pause_ms if ms < end_silence_ms}
        self._preroll: deque[bytes] = deque(maxlen=preroll_ms // FRAME_MS)
        self._max_frames = max_utterance_ms // FRAME_MS
        self._pending = b""
        self._speaking = False
        self._utterance: list[bytes] = []
        self._silent_frames = 0
        self.utterance = 0  # counts utterances begun

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

    def still_paused(self, pause: SpeechPaused) -> bool:
        """Nothing has been said since `pause`: the student has not gone on."""
        same = self._speaking and self.utterance == pause.utterance
        return same and self._silent_frames * FRAME_MS >= pause.silence_ms

    @property
    def silence_ms(self) -> int:
        """How long the student has been silent in the middle of their turn."""
        return self._silent_frames * FRAME_MS if self._speaking else 0

    def end_now(self) -> SpeechEnded | None:
        """End the turn without waiting for the rest of the silence: the answer was heard."""
        return self._end() if self._speaking else None

    def _frame(self, frame: bytes, voiced: bool) -> VadEvent | None:
        if not self._speaking:
            self._preroll.append(frame)
            self._window.append(voiced)
            if sum(self._window) >= self._start_frames:
                self._speaking = True
                self.utterance += 1
                self._utterance = list(self._preroll)
                self._silent_frames = 0
                self._window.clear()
                return SpeechBegan()
            return None
        self._utterance.append(frame)
        self._silent_frames = 0 if voiced else self._silent_frames + 1
        if self._silent_frames >= self._end_frames or len(self._utterance) >= self._max_frames:
            return self._end()
        if self._silent_frames in self._pause_frames:
            return SpeechPaused(self._spoken(), self._silent_frames * FRAME_MS, self.utterance)
        return None

    def _spoken(self) -> bytes:
        trailing = min(self._silent_frames, len(self._utterance) - 1)
        return b"".join(self._utterance[: len(self._utterance) - trailing])

    def _end(self) -> SpeechEnded:
        pcm = self._spoken()
        self._speaking, self._utterance, self._silent_frames = False, [], 0
        self._preroll.clear()
        return SpeechEnded(pcm=pcm)
