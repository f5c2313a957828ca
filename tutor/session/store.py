"""What the runner persists, as a contract (SessionStore) and an in-memory implementation.

The Django implementation (live/store.py) writes through practice's services; tests and benchmarks use
MemoryStore, so the engine runs without a database.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from ..brief import ContextTurn, RestoredContext
from ..events import ClientEvent, Note, ObjectiveMet, TokenUsage, TranscriptUpdate


class Fenced(Exception):
    """Another process hosts the session now: this runner's writes are refused, and it must stop at once."""


@dataclass(frozen=True, slots=True)
class FinishedTurn:
    index: int
    role: str
    text: str
    started_at: dt.datetime
    ended_at: dt.datetime
    audio_ms: int = 0
    interrupted: bool = False
    provider: str = ""  # what produced it: the session's provider may change mid-way (failover)
    model: str = ""


@dataclass(frozen=True, slots=True)
class StoredState:
    """Where a session stands when a runner (in this process or another) takes it up."""

    next_turn_index: int = 0
    elapsed_seconds: float = 0.0
    resumption_handle: str | None = None
    context: RestoredContext = field(default_factory=RestoredContext)
    turns: tuple[FinishedTurn, ...] = ()
    notes: tuple[Note, ...] = ()  # every note, of every kind, each kind in the order taken


def replay(state: StoredState) -> list[ClientEvent]:
    """What a browser or a teacher's live view is shown of a session so far: every finished turn, then the
    notes taken on them. The one mapping from stored things to events."""
    return [*(TranscriptUpdate(role=t.role, turn=t.index, text=t.text, final=True) for t in state.turns), *state.notes]


class SessionStore(Protocol):
    async def load(self) -> StoredState: ...

    async def mark_live(self) -> None: ...

    async def save_turn(self, turn: FinishedTurn) -> None: ...

    async def save_note(self, note: Note) -> None:
        """A note of any kind (tutor.events.Note); an objective met twice is kept once."""
        ...

    async def save_usage(self, usage: TokenUsage, *, model: str | None = None, purpose: str = "live") -> None:
        """A usage row, priced by `model` (None: the session's live model); `purpose` says what it paid for."""
        ...

    async def save_handle(self, handle: str) -> None: ...

    async def save_provider(self, provider: str, model: str) -> None:
        """The session goes on with another provider (failover): what it bills from now on is that one's."""
        ...

    async def save_context_tokens(self, tokens: int, through_turn: int) -> int:
        """Record the context in use (the Django store queues a summary when it passes the trigger) and
        return the last turn the newest summary covers, -1 if none: the runner learns of new summaries
        here even where no channel layer reaches it."""
        ...

    async def latest_context(self) -> RestoredContext:
        """The newest summary and the turns after it, for a new provider connection."""
        ...

    async def end(self, reason: str, *, failed: bool) -> None: ...


@dataclass
class MemoryStore:
    """Keeps everything in lists: for tests, benchmarks and scripted sessions."""

    recent_turns_kept: int = 8
    summary: str = ""
    summary_through_turn: int = -1
    resumption_handle: str | None = None
    elapsed_seconds: float = 0.0
    turns: list[FinishedTurn] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    usage: list[TokenUsage] = field(default_factory=list)
    usage_sources: list[tuple[str | None, str]] = field(default_factory=list)  # (model, purpose), beside usage
    context_tokens: list[tuple[int, int]] = field(default_factory=list)
    providers: list[tuple[str, str]] = field(default_factory=list)  # every switch, in order
    live_marks: int = 0
    ended: tuple[str, bool] | None = None

    async def load(self) -> StoredState:
        return StoredState(
            next_turn_index=max((t.index for t in self.turns), default=-1) + 1,
            elapsed_seconds=self.elapsed_seconds,
            resumption_handle=self.resumption_handle,
            context=await self.latest_context(),
            turns=tuple(sorted(self.turns, key=lambda t: t.index)),
            notes=tuple(self.notes),
        )

    async def mark_live(self) -> None:
        self.live_marks += 1

    async def save_turn(self, turn: FinishedTurn) -> None:
        self.turns = [t for t in self.turns if t.index != turn.index] + [turn]

    async def save_note(self, note: Note) -> None:
        if not (isinstance(note, ObjectiveMet) and note in self.notes):
            self.notes.append(note)

    def notes_of(self, kind: type) -> list:
        """The notes of one kind, in the order taken (for tests and benchmarks)."""
        return [note for note in self.notes if isinstance(note, kind)]

    async def save_usage(self, usage: TokenUsage, *, model: str | None = None, purpose: str = "live") -> None:
        self.usage.append(usage)
        self.usage_sources.append((model, purpose))

    async def save_handle(self, handle: str) -> None:
        self.resumption_handle = handle

    async def save_provider(self, provider: str, model: str) -> None:
        self.providers.append((provider, model))

    async def save_context_tokens(self, tokens: int, through_turn: int) -> int:
        self.context_tokens.append((tokens, through_turn))
        return self.summary_through_turn

    async def latest_context(self) -> RestoredContext:
        after = sorted((t for t in self.turns if t.index > self.summary_through_turn), key=lambda t: t.index)
        kept = after[-self.recent_turns_kept :]
        recent = tuple(ContextTurn(role=t.role, text=t.text, index=t.index) for t in kept if t.text)
        return RestoredContext(summary=self.summary, summary_through_turn=self.summary_through_turn, recent=recent)

    async def end(self, reason: str, *, failed: bool) -> None:
        self.ended = (reason, failed)
