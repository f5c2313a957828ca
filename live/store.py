"""The runner's SessionStore on the database: every write goes through practice's services, every read
through its selectors, and all of them through the process's batched trips to the database thread
(live/writes.py)."""

from practice.selectors.live import session_context, session_state
from practice.services.recording import note_record, resumption_handle_save, turn_record, usage_record
from practice.services.sessions import session_end, session_mark_live, session_provider_switch
from practice.services.summaries import context_usage_record
from tutor.brief import RestoredContext
from tutor.events import Note, TokenUsage
from tutor.session.store import FinishedTurn, StoredState

from .writes import DATABASE, BatchedDatabase


class DjangoSessionStore:
    def __init__(
        self, *, session_id: int, provider: str, model: str, recent_turns: int, database: BatchedDatabase = DATABASE
    ) -> None:
        self.session_id = session_id
        self.provider = provider
        self.model = model
        self._recent = recent_turns
        self._db = database

    async def load(self) -> StoredState:
        return await self._db.run(session_state, session_id=self.session_id, recent_turns=self._recent)

    async def mark_live(self) -> None:
        await self._db.run(session_mark_live, session_id=self.session_id)

    async def save_turn(self, turn: FinishedTurn) -> None:
        await self._db.run(
            turn_record,
            session_id=self.session_id,
            index=turn.index,
            role=turn.role,
            text=turn.text,
            started_at=turn.started_at,
            ended_at=turn.ended_at,
            audio_ms=turn.audio_ms,
            interrupted=turn.interrupted,
            provider=turn.provider,
            model=turn.model,
        )

    async def save_note(self, note: Note) -> None:
        await self._db.run(note_record, session_id=self.session_id, note=note)

    async def save_usage(self, usage: TokenUsage, *, model: str | None = None, purpose: str = "live") -> None:
        await self._db.run(
            usage_record,
            session_id=self.session_id,
            provider=self.provider,
            model=model or self.model,
            tokens=usage,
            purpose=purpose,
        )

    async def save_provider(self, provider: str, model: str) -> None:
        """Usage rows from now on are the new provider's."""
        self.provider, self.model = provider, model
        await self._db.run(session_provider_switch, session_id=self.session_id, provider=provider, model=model)

    async def save_handle(self, handle: str) -> None:
        await self._db.run(resumption_handle_save, session_id=self.session_id, handle=handle)

    async def save_context_tokens(self, tokens: int, through_turn: int) -> int:
        return await self._db.run(
            context_usage_record, session_id=self.session_id, tokens=tokens, through_turn=through_turn
        )

    async def latest_context(self) -> RestoredContext:
        return await self._db.run(session_context, session_id=self.session_id, recent_turns=self._recent)

    async def end(self, reason: str, *, failed: bool) -> None:
        await self._db.run(session_end, session_id=self.session_id, reason=reason, failed=failed)
