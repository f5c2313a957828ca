"""The runner's SessionStore on the database: every write goes through practice's services, every read
through its selectors, and all of them through the process's batched trips to the database thread
(live/writes.py).

Each write is named by its method and arguments (`call`): what the write runs, and what the replay of its entry in
a dead process's journal runs (live/journal.py), so the two cannot drift apart."""

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from practice.models import TutorSession
from practice.selectors.live import session_context, session_state
from practice.services.hosting import session_write_fenced
from practice.services.recording import note_record, resumption_handle_save, turn_record, usage_record
from practice.services.sessions import session_end, session_mark_live, session_provider_switch
from practice.services.summaries import context_usage_record
from tutor.brief import RestoredContext
from tutor.events import Note, TokenUsage
from tutor.session.store import FinishedTurn, StoredState

from .journal import JournalFile, replay_orphans
from .outages import OUTAGES
from .writes import DATABASE, BatchedDatabase

log = logging.getLogger(__name__)
Call = tuple[Callable[..., Any], dict[str, Any]]
JOURNAL = JournalFile(Path(settings.LIVE_JOURNAL_DIR))


class DjangoSessionStore:
    def __init__(
        self,
        *,
        session_id: int,
        provider: str,
        model: str,
        recent_turns: int,
        database: BatchedDatabase = DATABASE,
    ) -> None:
        self.session_id = session_id
        self.provider = provider
        self.model = model
        self._recent = recent_turns
        self._db = database
        self.epoch: int | None = None  # the host's, once it took the session up: every write is fenced by it

    def call(self, method: str, *args: Any, **kwargs: Any) -> Call:
        """The service a write of `method` runs, and its arguments."""
        return getattr(self, f"_{method}")(*args, **kwargs)

    async def _write(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Raises Fenced (tutor/session/store.py) once another process has taken the session up."""
        function, arguments = self.call(method, *args, **kwargs)
        return await self._db.run(session_write_fenced, epoch=self.epoch, write=function, **arguments)

    async def load(self) -> StoredState:
        return await self._db.run(session_state, session_id=self.session_id, recent_turns=self._recent)

    async def mark_live(self) -> None:
        await self._write("mark_live")

    async def save_turn(self, turn: FinishedTurn) -> None:
        await self._write("save_turn", turn)

    async def save_note(self, note: Note) -> None:
        await self._write("save_note", note)

    async def save_usage(self, usage: TokenUsage, *, model: str | None = None, purpose: str = "live") -> None:
        await self._write("save_usage", usage, model=model, purpose=purpose)

    async def save_provider(self, provider: str, model: str) -> None:
        await self._write("save_provider", provider, model)

    async def save_handle(self, handle: str) -> None:
        await self._write("save_handle", handle)

    async def save_context_tokens(self, tokens: int, through_turn: int) -> int:
        return await self._db.run(
            context_usage_record, session_id=self.session_id, tokens=tokens, through_turn=through_turn
        )

    async def latest_context(self) -> RestoredContext:
        return await self._db.run(session_context, session_id=self.session_id, recent_turns=self._recent)

    async def end(self, reason: str, *, failed: bool) -> None:
        await self._write("end", reason, failed=failed)

    # ---- each write as a service call ----------------------------------------------------------------

    def _mark_live(self) -> Call:
        return session_mark_live, {"session_id": self.session_id}

    def _save_turn(self, turn: FinishedTurn) -> Call:
        return turn_record, {
            "session_id": self.session_id,
            "index": turn.index,
            "role": turn.role,
            "text": turn.text,
            "started_at": turn.started_at,
            "ended_at": turn.ended_at,
            "audio_ms": turn.audio_ms,
            "interrupted": turn.interrupted,
            "provider": turn.provider,
            "model": turn.model,
        }

    def _save_note(self, note: Note) -> Call:
        return note_record, {"session_id": self.session_id, "note": note}

    def _save_usage(self, usage: TokenUsage, *, model: str | None = None, purpose: str = "live") -> Call:
        return usage_record, {
            "session_id": self.session_id,
            "provider": self.provider,
            "model": model or self.model,
            "tokens": usage,
            "purpose": purpose,
        }

    def _save_provider(self, provider: str, model: str) -> Call:
        """Usage rows from now on are the new provider's."""
        self.provider, self.model = provider, model
        return session_provider_switch, {"session_id": self.session_id, "provider": provider, "model": model}

    def _save_handle(self, handle: str) -> Call:
        return resumption_handle_save, {"session_id": self.session_id, "handle": handle}

    def _end(self, reason: str, *, failed: bool) -> Call:
        return session_end, {"session_id": self.session_id, "reason": reason, "failed": failed}


def _replay_write(stores: dict[int, DjangoSessionStore], session_id: int, method: str, args, kwargs) -> None:
    """One journaled write, run again (on the replay's own thread) through the session's store."""
    store = stores.get(session_id)
    if store is None:
        session = TutorSession.objects.filter(pk=session_id).first()
        if session is None:
            log.warning("session %s is gone (erased): its journaled %s is dropped", session_id, method)
            return
        store = stores[session_id] = DjangoSessionStore(
            session_id=session_id, provider=session.provider, model=session.model, recent_turns=0
        )
    function, arguments = store.call(method, *args, **kwargs)
    try:
        function(**arguments)
    except OUTAGES:
        raise  # tried again until the database answers
    except Exception:
        log.exception("session %s: a journaled %s could not be written and is dropped", session_id, method)


def replay_journal() -> None:
    """At start, on a thread of its own: what processes that died left unwritten, written once the database
    answers (waiting for it as long as it takes)."""
    stores: dict[int, DjangoSessionStore] = {}

    def replay() -> None:
        try:
            if count := replay_orphans(JOURNAL.directory, lambda entry: _replay_write(stores, *entry)):
                log.warning("wrote %d live-session writes a stopped process had left in its journal", count)
        finally:
            connection.close()

    threading.Thread(target=replay, name="journal-replay", daemon=True).start()
