"""One student's turn-taking on the event loop: frames in, typed events out through `emit`.

Wraps the synchronous `TurnDetector` and asks the turn model at each pause without waiting for it: the
answer comes back as a task, off the loop (the model's own thread), and its events are emitted then. A
model that fails leaves the pause to the level's patience, as if it had heard an unfinished utterance.
"""

import asyncio
import logging
from collections.abc import Callable

from .detector import Check, TurnDetector
from .events import TurnEvent
from .model import TurnModel
from .policy import TurnPolicy
from .prosody import FinalLowering
from .vad import SileroVad, Vad

log = logging.getLogger(__name__)


def default_vad() -> Vad:
    """The VAD that measured best inside the detector (docs/turn-taking.md)."""
    return SileroVad()


def default_model() -> TurnModel:
    """The turn model that measured best on the corpus (docs/turn-taking.md); `model.smart_turn()` is the
    other one measured."""
    return FinalLowering()


class TurnListener:
    def __init__(
        self,
        *,
        policy: TurnPolicy,
        emit: Callable[[TurnEvent], None],
        model: TurnModel | None = None,
        vad: Vad | None = None,
    ) -> None:
        self.detector = TurnDetector(policy, vad or default_vad())
        self._emit = emit
        self._model = model or default_model()
        self._checks: set[asyncio.Task[None]] = set()

    def feed(self, pcm: bytes) -> None:
        """The student's audio, PCM16 at 16 kHz, in any chunk size; call it on the event loop."""
        self._dispatch(self.detector.feed(pcm))

    def tutor_speaking(self, speaking: bool) -> None:
        """The tutor's audio started (True) or stopped (False) playing."""
        self._dispatch(self.detector.tutor_speaking(speaking))

    def end_now(self) -> None:
        """End the turn under way at once (the offline tutor heard the expected answer)."""
        self._dispatch(self.detector.end_now())

    def flush(self) -> None:
        """The microphone went off."""
        self._dispatch(self.detector.flush())

    async def settle(self) -> None:
        """Waits until every verdict asked so far has come back (and its events were emitted)."""
        while self._checks:
            await asyncio.gather(*self._checks, return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._checks):
            task.cancel()
        await asyncio.gather(*self._checks, return_exceptions=True)

    def _dispatch(self, items: list[TurnEvent | Check]) -> None:
        for item in items:
            match item:
                case Check():
                    task = asyncio.get_running_loop().create_task(self._check(item))
                    self._checks.add(task)
                    task.add_done_callback(self._checks.discard)
                case _:
                    self._emit(item)

    async def _check(self, check: Check) -> None:
        try:
            probability = await self._model.probability(check.pcm)
        except Exception:
            log.exception("the turn model failed; this pause waits for the level's patience")
            probability = 0.0
        self._dispatch(self.detector.verdict(check, probability))
