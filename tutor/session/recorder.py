"""What a live session leaves behind, written in order off the audio path: each finished turn under the provider
that spoke it, each note, usage row, resumption handle and provider switch; and the context the connection
holds, metered as turns and usage come and written after each, which is where the store says how far the
newest summary reaches (posted to the runner as `SummaryReady`)."""

from dataclasses import replace
from typing import Any

from ..context import ContextMeter
from ..events import Note, TokenUsage, UsagePurpose
from .journal import Journal, NoJournal
from .persister import Persister
from .signals import Inbox, SummaryReady
from .store import FinishedTurn, SessionStore


class Recorder:
    def __init__(
        self, *, store: SessionStore, inbox: Inbox, meter: ContextMeter, journal: Journal | None = None
    ) -> None:
        self.store = store
        self.journal = journal or NoJournal()
        self.persister = Persister(inbox=inbox)
        self.meter = meter
        self._inbox = inbox
        self._provider, self._model = "", ""
        self._context_writes = 0
        self._through = -1  # the last finished turn: what the context written next covers

    def speaking(self, provider: str, model: str) -> None:
        """The provider and model whose turns and usage come next (the session's, or after a failover another's)."""
        self._provider, self._model = provider, model

    def start(self, *, through: int) -> None:
        """Start writing; `through` is the last turn the store already has (a session taken up where it stood)."""
        self._through = through
        self.persister.start()

    async def stop(self, *, within: float | None = None) -> bool:
        """Everything submitted is written; with `within`, waited for that long at most (see Persister.stop)."""
        return await self.persister.stop(within=within)

    def end(self, reason: str, *, failed: bool) -> None:
        """The session ended: written last, after everything it said, whenever the database takes it."""
        self._submit("end", reason, failed=failed)

    def mark_live(self) -> None:
        self._submit("mark_live")

    def turn(self, turn: FinishedTurn) -> None:
        """A turn finished: written, and counted against the context."""
        self.meter.observe_turn(turn)
        self.turn_again(turn)
        self._through = max(self._through, turn.index)
        self._write_context()

    def turn_again(self, turn: FinishedTurn) -> None:
        """The same turn written once more (cut to what the student heard): counted against the context already."""
        turn = replace(turn, provider=self._provider, model=self._model)
        self._submit("save_turn", turn)

    def note(self, note: Note) -> None:
        self._submit("save_note", note)

    def usage(self, tokens: TokenUsage, *, model: str | None, purpose: UsagePurpose) -> None:
        """A usage row; the conversation's own (`live`) is also what the connection holds now."""
        self._submit("save_usage", tokens, model=model, purpose=purpose)
        if purpose == "live":  # another model's tokens (the student's transcription) are not this context
            self.meter.observe_usage(tokens)
            self._write_context()

    def video_frame(self, tokens: int) -> None:
        self.meter.observe_tokens(tokens)

    def handle(self, handle: str) -> None:
        self._submit("save_handle", handle)

    def provider_switched(self, provider: str, model: str, meter: ContextMeter) -> None:
        """The session goes on with another provider (failover): its own rates meter the context from now on."""
        self.speaking(provider, model)
        self.meter = meter
        self._submit("save_provider", provider, model)

    def _submit(self, method: str, *args: Any, **kwargs: Any) -> None:
        """A write of the store's `method`, journaled now (so a process that dies before the database takes it
        loses nothing) and marked done once written."""
        number = self.journal.append(method, args, kwargs)

        async def write() -> None:
            await getattr(self.store, method)(*args, **kwargs)
            self.journal.done(number)

        self.persister.submit(write)

    def _write_context(self) -> None:
        """The context size after each turn and usage report. A write queued behind a newer one is skipped:
        the newer one is taken after everything it counts was queued, so it alone suffices."""
        tokens, through = self.meter.tokens, self._through
        self._context_writes += 1
        number = self._context_writes

        async def write() -> None:
            if number == self._context_writes:
                self._inbox.post(SummaryReady(await self.store.save_context_tokens(tokens, through)))

        self.persister.submit(write)
