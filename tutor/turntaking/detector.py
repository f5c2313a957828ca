"""When a student's turn ends, decided frame by frame: a synchronous state machine, no clock and no model.

Frames go in (`feed`); events come out, with `Check` requests where the turn model must be asked whether
the utterance so far is finished. The caller asks it (off the event loop: `listener.TurnListener`) and
hands the answer back (`verdict`), so the decisions are testable with any scripted model and replayable
on recorded audio. All time is audio time: `at_ms` is the audio fed so far.

- The tutor is silent: a run of voiced frames starts a turn (`SpeechStarted`). At each pause the model is
  asked; finished, the turn ends at once (`TurnEnded`, "complete"); unfinished, the turn waits for the
  level's patience (`StillThinking` at the cue, `TurnEnded` "patience" at its end) unless speech resumes.
- The tutor speaks: a voiced sound is first only a sound (`SoundStarted`); enough voiced audio makes it an
  `Interruption` (and the student's turn), a sound that stops before is ignored (`SoundIgnored`): a
  backchannel, a filler or a cough does not cut the tutor off.
- The tutor finished and the student says nothing: `Stuck`, once per `stuck_after_ms` of silence.
"""

from collections import deque
from dataclasses import dataclass, field
from enum import Enum

from .events import (
    EndReason,
    Interruption,
    PauseHeard,
    SoundIgnored,
    SoundStarted,
    SpeechResumed,
    SpeechStarted,
    StillThinking,
    Stuck,
    TurnEnded,
    TurnEvent,
)
from .policy import TurnPolicy
from .vad import RATE, Vad, level_dbfs


@dataclass(frozen=True, slots=True)
class Check:
    """Ask the turn model about this utterance; give its answer to `TurnDetector.verdict`."""

    turn: int
    pause: int
    silence_ms: int
    pcm: bytes = field(repr=False)  # the utterance so far, its trailing silence included


class Mode(Enum):
    IDLE = "idle"
    SOUND = "sound"  # something voiced while the tutor speaks, not yet judged
    TURN = "turn"


class TurnDetector:
    def __init__(self, policy: TurnPolicy, vad: Vad) -> None:
        self.policy = policy
        self._vad = vad
        self._frame_bytes = vad.frame_samples * 2
        self._frame_ms = vad.frame_samples * 1000 / RATE
        self._pending = b""
        self._clock_ms = 0.0
        self._mode = Mode.IDLE
        self._window: deque[bool] = deque(maxlen=max(1, round(policy.window_ms / self._frame_ms)))
        self._preroll: deque[bytes] = deque(maxlen=max(1, round(policy.preroll_ms / self._frame_ms)))
        self._frames: list[bytes] = []  # the turn's, or the sound's
        self._silent_ms = 0.0
        self._voiced_ms = 0.0
        self._sound_start_ms = 0.0
        self._turn = 0
        self._pause = 0
        self._unfinished = False  # the model heard this pause as unfinished
        self._cued = False
        self._tutor_speaking = False
        self._quiet_ms: float | None = None  # silence since the tutor finished, while the student is stuck
        self._stuck = 0

    @property
    def at_ms(self) -> int:
        return round(self._clock_ms)

    @property
    def in_turn(self) -> bool:
        return self._mode is Mode.TURN

    # ---- input ------------------------------------------------------------------------------------

    def feed(self, pcm: bytes) -> list[TurnEvent | Check]:
        """Any chunk size; frames are judged as they fill."""
        self._pending += pcm
        out: list[TurnEvent | Check] = []
        size = self._frame_bytes
        while len(self._pending) >= size:
            frame, self._pending = self._pending[:size], self._pending[size:]
            voiced = level_dbfs(frame) >= self.policy.gate_dbfs and self._vad.is_speech(frame)
            self._clock_ms += self._frame_ms
            out.extend(self._frame(frame, voiced))
        return out

    def verdict(self, check: Check, probability: float) -> list[TurnEvent]:
        """The model's answer to `check`; an answer for a pause that speech has since ended is dropped."""
        if self._mode is not Mode.TURN or (check.turn, check.pause) != (self._turn, self._pause):
            return []
        complete = probability >= self.policy.threshold
        out: list[TurnEvent] = [PauseHeard(self.at_ms, check.silence_ms, probability, complete)]
        if complete:
            out.append(self._end("complete"))
        else:
            self._unfinished = True
            out.extend(self._cue())
        return out

    def tutor_speaking(self, speaking: bool) -> list[TurnEvent]:
        """The host says when the tutor's audio starts and stops playing."""
        was, self._tutor_speaking = self._tutor_speaking, speaking
        if speaking:
            self._quiet_ms = None
            return []
        if not was:
            return []
        if self._mode is Mode.SOUND:  # the student was already answering as the tutor finished
            self._begin_turn()
            return [SpeechStarted(self.at_ms)]
        if self._mode is Mode.IDLE:  # the student's silence from here on is theirs to break
            self._quiet_ms, self._stuck = 0.0, 0
        return []

    def end_now(self) -> list[TurnEvent]:
        """The host heard what it was waiting for (the offline tutor matched the expected answer): the turn
        ends here, whatever the silence."""
        return [self._end("answer_heard")] if self._mode is Mode.TURN else []

    def flush(self) -> list[TurnEvent]:
        """The microphone went off: what was being said is the whole turn."""
        self._pending = b""
        if self._mode is Mode.TURN:
            return [self._end("microphone_off")]
        self._mode = Mode.IDLE
        self._frames = []
        return []

    # ---- frames -----------------------------------------------------------------------------------

    def _frame(self, frame: bytes, voiced: bool) -> list[TurnEvent | Check]:
        match self._mode:
            case Mode.TURN:
                return self._in_turn(frame, voiced)
            case Mode.SOUND:
                return self._in_sound(frame, voiced)
        return self._idle(frame, voiced)

    def _idle(self, frame: bytes, voiced: bool) -> list[TurnEvent | Check]:
        self._preroll.append(frame)
        self._window.append(voiced)
        if sum(self._window) * self._frame_ms >= self.policy.start_ms:
            voiced_ms = sum(self._window) * self._frame_ms
            self._window.clear()
            self._frames = list(self._preroll)
            self._silent_ms = 0.0
            if self._tutor_speaking:
                self._mode = Mode.SOUND
                self._voiced_ms = voiced_ms
                self._sound_start_ms = self._clock_ms - voiced_ms
                return [SoundStarted(self.at_ms)]
            self._begin_turn()
            return [SpeechStarted(self.at_ms)]
        return self._quiet()

    def _quiet(self) -> list[TurnEvent | Check]:
        if self._quiet_ms is None or self._tutor_speaking or not self.policy.stuck_after_ms:
            return []
        self._quiet_ms += self._frame_ms
        if self._quiet_ms >= self.policy.stuck_after_ms * (self._stuck + 1):
            self._stuck += 1
            return [Stuck(self.at_ms, round(self._quiet_ms), self._stuck)]
        return []

    def _in_sound(self, frame: bytes, voiced: bool) -> list[TurnEvent | Check]:
        self._frames.append(frame)
        if voiced:
            self._voiced_ms += self._frame_ms
            self._silent_ms = 0.0
        else:
            self._silent_ms += self._frame_ms
        if self._voiced_ms >= self.policy.interrupt_ms:
            self._begin_turn()
            return [Interruption(self.at_ms, round(self._sound_start_ms))]
        if self._silent_ms >= self.policy.sound_end_ms:
            self._mode = Mode.IDLE
            self._frames = []
            duration = self._clock_ms - self._silent_ms - self._sound_start_ms
            return [SoundIgnored(self.at_ms, round(duration))]
        return []

    def _begin_turn(self) -> None:
        self._mode = Mode.TURN
        self._turn += 1
        self._pause += 1
        self._silent_ms = 0.0
        self._unfinished = self._cued = False
        self._quiet_ms = None

    def _in_turn(self, frame: bytes, voiced: bool) -> list[TurnEvent | Check]:
        self._frames.append(frame)
        if voiced:
            resumed: list[TurnEvent | Check] = [SpeechResumed(self.at_ms)] if self._cued else []
            if self._silent_ms:
                self._pause += 1  # a verdict on the pause that just ended is stale
                self._unfinished = self._cued = False
            self._silent_ms = 0.0
            return resumed + self._too_long()
        before, self._silent_ms = self._silent_ms, self._silent_ms + self._frame_ms
        out: list[TurnEvent | Check] = [
            Check(self._turn, self._pause, round(self._silent_ms), b"".join(self._frames))
            for at in self.policy.check_after_ms
            if before < at <= self._silent_ms
        ]
        if self._silent_ms >= self.policy.end_silence_ms:
            return [self._end("patience")]
        if self._unfinished:
            out.extend(self._cue())
        return out or self._too_long()

    def _cue(self) -> list[TurnEvent]:
        policy = self.policy
        if self._cued or self._silent_ms < policy.cue_after_ms or policy.end_silence_ms <= policy.cue_after_ms:
            return []
        self._cued = True
        return [StillThinking(self.at_ms, policy.end_silence_ms)]

    def _too_long(self) -> list[TurnEvent | Check]:
        if len(self._frames) * self._frame_ms >= self.policy.max_turn_ms:
            return [self._end("too_long")]
        return []

    def _end(self, reason: EndReason) -> TurnEnded:
        trailing = min(int(self._silent_ms / self._frame_ms), len(self._frames) - 1)
        pcm = b"".join(self._frames[: len(self._frames) - trailing])
        self._mode = Mode.IDLE
        self._frames = []
        self._silent_ms = 0.0
        self._pause += 1
        self._preroll.clear()
        self._window.clear()
        return TurnEnded(self.at_ms, reason, pcm)
