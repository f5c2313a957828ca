"""The student's turn-taking in one session (tutor/turntaking): their audio fed to a TurnListener, told when the
tutor's audio is playing, its events posted to the runner's inbox to be dispatched there on type.

When the tutor's audio plays is reckoned in the student's audio time, the detector's own clock (the microphone
sends its frames in real time): the page plays the tutor's chunks one after the other from when the first
arrives, so the tutor is heard until the sum of their lengths has passed (an interruption ends it at once).
It is looked at on each frame of the student's, so nothing runs between them and a test needs no clock.
"""

from ..audio import duration_ms
from ..turntaking import TurnListener, TurnModel, TurnPolicy
from ..turntaking.vad import Vad
from .signals import Inbox


class Hearing:
    def __init__(
        self, *, policy: TurnPolicy, inbox: Inbox, vad: Vad | None = None, model: TurnModel | None = None
    ) -> None:
        """`vad`, `model`: None for the ones that measured best (turntaking/listener.py)."""
        self.listener = TurnListener(policy=policy, emit=inbox.post, vad=vad, model=model)
        self._plays_until: float | None = None  # the student's audio time when the tutor's audio has played out

    @property
    def _now_ms(self) -> float:
        return self.listener.detector.at_ms

    def student_audio(self, pcm16_16k: bytes) -> None:
        if self._plays_until is not None and self._now_ms >= self._plays_until:
            self._plays_until = None
            self.listener.tutor_speaking(False)
        self.listener.feed(pcm16_16k)

    def tutor_audio(self, pcm16: bytes, rate: int) -> None:
        if self._plays_until is None:
            self._plays_until = self._now_ms
            self.listener.tutor_speaking(True)
        self._plays_until = max(self._plays_until, self._now_ms) + duration_ms(pcm16, rate)

    def tutor_stopped(self) -> None:
        """The student cut the tutor off: its audio stops now."""
        if self._plays_until is not None:
            self._plays_until = None
            self.listener.tutor_speaking(False)

    def microphone_off(self) -> None:
        """A turn under way ends. The audio clock stops with the microphone, so the tutor's audio is taken to have
        played out: a student who switches it on again later is not heard as speaking over it."""
        self.listener.flush()
        self.tutor_stopped()

    def answer_heard(self) -> None:
        self.listener.end_now()

    async def close(self) -> None:
        await self.listener.close()
