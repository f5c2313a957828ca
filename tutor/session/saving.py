"""What the student is told of the session's writes while the database is away: the persister's signals, which
the runner dispatches here, become `saving` messages (delayed, full, saved again), told again to a browser that
comes back while it lasts; and at the end, the wait for the last writes, telling them meanwhile, so a session that
ends during an outage is written once the database is back and the student sees why it takes a while."""

import asyncio
from collections.abc import Awaitable

from ..events import AudioIn, ClientEvent, ImageIn, SavingChanged, TextIn, VideoFrameIn
from . import signals
from .audience import Audience
from .signals import Inbox

SAVING = {signals.SavingDelayed: "delayed", signals.SavingFull: "full", signals.Saved: "saved"}
SAVING_SIGNALS = tuple(SAVING)
REFUSED_WHEN_FULL = (AudioIn, TextIn, ImageIn, VideoFrameIn)  # nothing more is taken in until what waits is written


class SavingStatus:
    def __init__(self, audience: Audience) -> None:
        self.audience = audience
        self.state = "saved"  # or "delayed", "full": what the student was last told

    def changed(self, signal: signals.SavingDelayed | signals.SavingFull | signals.Saved) -> None:
        self.state = SAVING[type(signal)]
        self.audience.emit(SavingChanged(self.state))

    def on_attach(self) -> list[ClientEvent]:
        return [SavingChanged(self.state)] if self.state != "saved" else []

    async def while_writing(self, writes: Awaitable[None], inbox: Inbox) -> None:
        """Wait for `writes`, telling the student what the inbox's saving signals say meanwhile (the rest of the
        inbox is the ended session's: nothing reads it any more)."""
        writing = asyncio.ensure_future(writes)
        while not writing.done():
            reading = asyncio.create_task(inbox.next(within=None))
            await asyncio.wait((writing, reading), return_when=asyncio.FIRST_COMPLETED)
            if not reading.done():
                reading.cancel()
                continue
            if isinstance(item := reading.result(), SAVING_SIGNALS):
                self.changed(item)
        await writing
