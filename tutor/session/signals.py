"""What the parts of one live session tell its runner, as typed values on one queue (the `Inbox`).

The runner reads its inbox and dispatches on type, the provider's events, turn-taking's and these alike: the
connection manager, the recorder, the student's turn-taking (hearing.py), the host and the browser's side post
here and never call into the runner, so what happens next is decided in one place, one signal at a time, in
the order things happened.
"""

import asyncio
from dataclasses import dataclass

from ..events import ProviderError, ProviderEvent
from ..turntaking.events import TurnEvent
from .store import FinishedTurn


@dataclass(frozen=True, slots=True)
class Delivered:
    """A connection took a typed student turn: it counts as said from now on (and is stored once)."""

    turn: FinishedTurn


@dataclass(frozen=True, slots=True)
class HandleIssued:
    """The provider issued a resumption handle: the next connection resumes with it."""

    handle: str


@dataclass(frozen=True, slots=True)
class SwitchDue:
    """The connection must be replaced at the next pause, at `by` (the clock's time) at the latest; `fresh`:
    from the summaries and recent turns rather than the resumption handle; `handle_by`: not before this moment
    unless a new resumption handle comes first (the one the service sends right after a goAway)."""

    by: float
    fresh: bool
    handle_by: float | None = None


@dataclass(frozen=True, slots=True)
class ConnectionLost:
    """Connection number `connection` dropped, failed a send or ended; `error` says why when the provider did."""

    connection: int
    error: ProviderError | None = None


@dataclass(frozen=True, slots=True)
class SummaryReady:
    """A summary covering the turns up to `through_turn` was written (Celery, or seen by the store)."""

    through_turn: int


@dataclass(frozen=True, slots=True)
class EndDue:
    """The session is to end: the student asked, the host hands it off, or the server stops."""

    reason: str


@dataclass(frozen=True, slots=True)
class BrowserLeft:
    """The browser went away: the session waits for it until the reconnect grace runs out."""


@dataclass(frozen=True, slots=True)
class SavingDelayed:
    """A write has failed for a while (the database is away): what is said is kept and written when it is back."""


@dataclass(frozen=True, slots=True)
class SavingFull:
    """The writes waiting reached the persister's limit: the session takes no new input until they drain."""


@dataclass(frozen=True, slots=True)
class FencedOut:
    """Another process took the session over (the store refused a write for it): stop sending and writing now."""


@dataclass(frozen=True, slots=True)
class Saved:
    """The writes go in again after a delay."""


Signal = (
    Delivered
    | HandleIssued
    | SwitchDue
    | ConnectionLost
    | SummaryReady
    | EndDue
    | BrowserLeft
    | SavingDelayed
    | SavingFull
    | Saved
    | FencedOut
)
RunnerInput = ProviderEvent | Signal | TurnEvent  # and what the student's turn-taking heard (hearing.py)


class Inbox:
    """The runner's one queue. Posting never blocks, so a provider's reader or a write never waits on the runner."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[RunnerInput] = asyncio.Queue()
        self.waiting = False  # the runner waits on an empty inbox: it has handled everything posted

    def post(self, item: RunnerInput) -> None:
        self._queue.put_nowait(item)

    async def next(self, *, within: float | None) -> RunnerInput | None:
        """The next item, or None when nothing was posted within `within` seconds (None: wait as long as it takes)."""
        try:
            return self._queue.get_nowait()
        except asyncio.QueueEmpty:
            pass
        self.waiting = True
        try:
            async with asyncio.timeout(within):
                return await self._queue.get()
        except TimeoutError:
            return None
        finally:
            self.waiting = False

    def take_nowait(self) -> RunnerInput | None:
        """The next item if one was posted, else None (what is left when the session ends)."""
        try:
            return self._queue.get_nowait()
        except asyncio.QueueEmpty:
            return None

    def __len__(self) -> int:
        return self._queue.qsize()
