"""Who sees a live session: the student's browser while one is attached (through the outbox), the history a
browser that (re)attaches is shown first, and observers (a teacher's live view) that get every event but audio,
in order, only while there are any."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from ..events import NOTE_TYPES, AudioOut, ClientEvent, Ready, TranscriptUpdate
from .outbox import Outbox

log = logging.getLogger(__name__)

Observer = Callable[[ClientEvent], Awaitable[None]]
OBSERVERS_DRAIN_SECONDS = 5.0  # at the end, how long observers may take to get what is left


class Audience:
    def __init__(self, session_id: int, history: list[ClientEvent] | None = None) -> None:
        self.session_id = session_id
        self.outbox = Outbox()
        self.history: list[ClientEvent] = history or []  # durable events: every final turn and every note
        self.attached = False
        self._observers: list[Observer] = []
        self._observed: asyncio.Queue[ClientEvent | None] = asyncio.Queue()
        self._observer_task: asyncio.Task | None = None

    def attach(self, ready: Ready, *now: ClientEvent) -> list[ClientEvent]:
        """A browser (re)connected: it gets `ready`, everything durable so far, then `now` (the state it is in)."""
        self.attached = True
        self.outbox.clear()
        return [ready, *self.history, *now]

    def detach(self) -> None:
        self.attached = False
        self.outbox.clear()

    def add_observer(self, observer: Observer) -> None:
        self._observers.append(observer)
        if self._observer_task is None:
            self._observer_task = asyncio.create_task(self._notify_observers(), name="observers")

    def remove_observer(self, observer: Observer) -> None:
        """Nobody left to tell: events stop being queued for observers at once."""
        with contextlib.suppress(ValueError):
            self._observers.remove(observer)

    def emit(self, event: ClientEvent) -> None:
        if self.attached:
            self.outbox.put(event)
        if isinstance(event, NOTE_TYPES) or (isinstance(event, TranscriptUpdate) and event.final):
            self.history.append(event)
        if self._observers and not isinstance(event, AudioOut):
            self._observed.put_nowait(event)

    def flush_audio(self) -> None:
        """The student barged in: tutor audio not yet sent to the browser goes at once."""
        self.outbox.flush_audio()

    async def close(self) -> None:
        """Observers get everything up to the end (the last event emitted), then stop."""
        if self._observer_task is None:
            return
        self._observed.put_nowait(None)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._observer_task, timeout=OBSERVERS_DRAIN_SECONDS)

    async def _notify_observers(self) -> None:
        """One task delivers to observers in order, so a teacher's view never sees turns shuffled."""
        while (event := await self._observed.get()) is not None:
            for observer in list(self._observers):
                try:
                    await observer(event)
                except Exception:
                    log.exception("session %s: observer failed", self.session_id)
