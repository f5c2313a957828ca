"""The provider connection of one live session, and every switch between connections: the first connect,
retries with backoff, planned switches (a provider's goAway, a fresh start from a new summary) and
unplanned ones (a drop, an error), each followed by a replay of exactly what the new connection has not
heard.

While no connection is open (or one is being replaced) the student's input is queued, never refused:
typed turns and pictures in order, audio up to a bound; frames of a shared camera or screen are the
exception, sent live or not at all. A typed turn counts as said once a connection took it: the runner
stores it then, not before. What the tutor still owes an answer for lives in the ledger (inputs.py)
and is replayed to the next connection: turns as their text, pictures as pictures, speech not yet
transcribed as audio.
"""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import replace

from ..brief import SessionSetup
from ..config import RunnerConfig
from ..events import GoingAway, ProviderError, ProviderEvent, Resumable, ToolCall
from ..providers.base import LiveConnection, LiveProvider, ProviderConnectError
from .inputs import AudioTail, Ledger, Owed, OwedPicture, OwedTurn
from .store import FinishedTurn

log = logging.getLogger(__name__)

SetupFactory = Callable[[str | None, set[int]], Awaitable[SessionSetup]]


class ConnectFailed(Exception):
    """No connection could be opened: `retryable` False means a person must fix something (key, request)."""

    def __init__(self, code: str, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.code, self.message, self.retryable = code, message, retryable


class ConnectionManager:
    def __init__(
        self,
        *,
        session_id: int,
        provider: LiveProvider,
        config: RunnerConfig,
        make_setup: SetupFactory,
        on_event: Callable[[ProviderEvent], None],
        on_delivered: Callable[[FinishedTurn], None],
        on_status: Callable[[str], None],
        save_handle: Callable[[str], None],
        wake: asyncio.Event,
        clock: Callable[[], float],
        handle: str | None = None,
    ) -> None:
        self.session_id = session_id
        self.provider = provider
        self.config = config
        self.ledger = Ledger()
        self.handle = handle
        self._make_setup = make_setup
        self._on_event = on_event
        self._on_delivered = on_delivered
        self._on_status = on_status
        self._save_handle = save_handle
        self._wake = wake
        self._clock = clock
        self._conn: LiveConnection | None = None
        self._reader: asyncio.Task | None = None
        self._error: ProviderError | None = None
        self._broken = False  # a send failed: the connection is to be replaced
        self._pending: deque[Owed] = deque()  # typed turns and pictures waiting for a connection
        self._pending_audio = AudioTail(config.audio_buffer_ms)  # audio waiting for a connection
        self._untranscribed = AudioTail(config.audio_buffer_ms)  # audio sent, not yet a finished turn
        self._switch_by: float | None = None  # a planned switch: at the next pause, or by then
        self._fresh = False  # the planned switch starts from the summaries, not the resumption handle
        self._tasks: set[asyncio.Task] = set()
        self._replaying = False  # a new connection hears the past first; input meanwhile queues

    # ---- state the runner reads ----------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._conn is not None

    @property
    def broken(self) -> bool:
        """The connection dropped, failed a send, or its reader ended."""
        return self._conn is not None and (self._broken or (self._reader is not None and self._reader.done()))

    def take_error(self) -> ProviderError | None:
        error, self._error = self._error, None
        return error

    @property
    def settled(self) -> bool:
        """Nothing is owed or waiting: with nobody mid-turn, a moment to switch without cutting anyone off."""
        return not self.ledger and not self._pending

    @property
    def switch_by(self) -> float | None:
        return self._switch_by

    def switch_due(self, now: float, *, pause: bool) -> bool:
        return self._switch_by is not None and (pause or now >= self._switch_by)

    def plan_switch(self, *, by: float, fresh: bool) -> None:
        """Switch connections at the next pause, or at `by` at the latest."""
        self._switch_by = by if self._switch_by is None else min(self._switch_by, by)
        self._fresh = self._fresh or fresh
        self._wake.set()

    # ---- what the runner tells it ----------------------------------------------------------------

    def transcribed(self, turn: FinishedTurn) -> None:
        """A spoken student turn is final: it is owed as text from now on, not as the audio it came from."""
        self._untranscribed.clear()
        if turn.text:
            self.ledger.owe(OwedTurn(turn=turn, spoken=True))

    def answered(self, tutor_turn: int) -> None:
        self.ledger.answered_by(tutor_turn)
        self._untranscribed.clear()

    # ---- sending ---------------------------------------------------------------------------------

    async def send_audio(self, pcm: bytes) -> None:
        if self._conn is None or self._broken or self._replaying or self._pending_audio:
            self._pending_audio.append(pcm)
            return
        try:
            await self._conn.send_audio(pcm)
        except Exception:
            self._fail_send("audio")
            self._pending_audio.append(pcm)
            return
        self._untranscribed.append(pcm)

    async def send_turn(self, turn: FinishedTurn) -> None:
        """A typed turn: delivered now, or queued until a connection takes it."""
        await self._give(OwedTurn(turn=turn, spoken=False))

    async def send_picture(self, data: bytes, mime: str, *, position: int) -> None:
        await self._give(OwedPicture(data=data, mime=mime, position=position))

    async def send_video_frame(self, data: bytes, mime: str) -> bool:
        """A frame of a shared camera or screen goes to the current connection or nowhere: it is never
        queued, owed or replayed, since the next one is a second away and an old view only misleads.
        True if the connection took it."""
        if self._conn is None or self._broken or self._replaying:
            return False
        try:
            await self._conn.send_video_frame(data, mime)
        except Exception:
            self._fail_send("video frame")
            return False
        return True

    async def end_audio_stream(self) -> None:
        await self._control(lambda conn: conn.end_audio_stream())

    async def playback_heard(self, played_ms: int) -> None:
        await self._control(lambda conn: conn.playback_heard(played_ms))

    def answer_tool(self, call: ToolCall, result: dict) -> None:
        """Answered on the connection that asked (the current one, as its events are being handled)."""
        conn = self._conn
        if conn is None:
            return
        task = asyncio.create_task(self._answer_tool(conn, call, result))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer_tool(self, conn: LiveConnection, call: ToolCall, result: dict) -> None:
        try:
            await conn.send_tool_result(call.call_id, call.name, result)
        except Exception:  # the connection dropped; its reader notices and the runner switches
            log.info("session %s: tool result for %s not delivered", self.session_id, call.call_id)

    async def _give(self, item: Owed) -> None:
        if self._conn is None or self._broken or self._replaying or self._pending:
            self._pending.append(item)
            return
        if not await self._deliver(self._conn, item):
            self._pending.append(item)

    async def _deliver(self, conn: LiveConnection, item: Owed) -> bool:
        """Send one input for the first time; True once the connection took it."""
        if not await self._send_owed(conn, item):
            return False
        self.ledger.owe(item)
        if isinstance(item, OwedTurn):
            self._on_delivered(item.turn)
        return True

    async def _send_owed(self, conn: LiveConnection, item: Owed) -> bool:
        try:
            match item:
                case OwedTurn(turn=turn):
                    await conn.send_text(turn.text)
                case OwedPicture(data=data, mime=mime):
                    await conn.send_image(data, mime)
        except Exception as exc:
            log.info("session %s: send failed: %s", self.session_id, exc)
            self._fail_send("input")
            return False
        return True

    async def _control(self, action: Callable[[LiveConnection], Awaitable[None]]) -> None:
        """Microphone off and playback reports concern the current connection only: a new one starts clean."""
        if self._conn is None or self._broken or self._replaying:
            return
        with contextlib.suppress(Exception):
            await action(self._conn)

    def _fail_send(self, what: str) -> None:
        log.info("session %s: %s not delivered; the connection will be replaced", self.session_id, what)
        self._broken = True
        self._wake.set()

    # ---- connecting and switching ----------------------------------------------------------------

    def use_provider(self, provider: LiveProvider, config: RunnerConfig) -> None:
        """Go on with another provider (failover): its first connection starts fresh, from the context,
        and is given again everything owed (the old provider's resumption handle means nothing to it)."""
        self.provider, self.config = provider, config
        self.handle = None
        self._save_handle("")
        self.ledger.uncover_all()

    async def connect(self) -> None:
        """Open a connection (with retries), then replay what it has not heard. Raises ConnectFailed."""
        setup = await self._make_setup(self.handle, self.ledger.owed_turns())
        last: ProviderConnectError | None = None
        for attempt in range(self.config.retries):
            if attempt:
                await asyncio.sleep(self.config.backoff * 2 ** (attempt - 1))
            try:
                conn = await self.provider.connect(setup)
            except ProviderConnectError as exc:
                if not exc.retryable:
                    raise ConnectFailed(exc.code, exc.message, retryable=False) from exc
                last = exc
                log.info("session %s: connect attempt %d failed: %s", self.session_id, attempt + 1, exc.message)
                if exc.code == "resumption_rejected":
                    self.handle = None
                    setup = replace(setup, resumption_handle=None)
                continue
            except Exception as exc:  # a provider's own fault (a malformed URL, a bug): it cannot serve, say so
                log.exception("session %s: %s could not open a connection", self.session_id, self.provider.name)
                raise ConnectFailed("provider_error", f"{type(exc).__name__}: {exc}", retryable=False) from exc
            self._conn, self._error, self._broken = conn, None, False
            self._on_status("live")  # before anything of the new connection reaches the browser
            self._reader = asyncio.create_task(self._read(conn), name=f"provider-reader-{self.session_id}")
            resumed_with_input = setup.resumption_handle is not None and self.provider.resumption_keeps_input
            await self._replay(conn, resumed_with_input=resumed_with_input)
            return
        raise ConnectFailed(
            "provider_unavailable", last.message if last else "the tutor service did not answer", retryable=True
        )

    async def switch(self, *, planned: bool) -> None:
        """Replace the connection. Close the old one first: Gemini refuses a resume while it is open."""
        fresh = planned and self._fresh
        self._switch_by, self._fresh = None, False
        self._on_status("switching" if planned else "reconnecting")
        await self.close()
        if fresh:
            self.handle = None
            self._save_handle("")
        await self.connect()

    async def close(self) -> None:
        conn, reader = self._conn, self._reader
        self._conn, self._reader = None, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()
        if reader is not None and not reader.done():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader

    async def _replay(self, conn: LiveConnection, *, resumed_with_input: bool) -> None:
        """What the tutor still owes an answer for (once more), the student's speech that no transcript
        covers yet, then what was queued meanwhile (for the first time). Input that arrives during the
        replay queues behind it, so nothing overtakes. A failure leaves the rest for the next connection."""
        self._replaying = True
        try:
            for item in self.ledger.to_replay(resumed_with_input=resumed_with_input):
                if not await self._send_owed(conn, item):
                    return
            if not await self._send_audio_chunks(conn, self._untranscribed.take()):
                return
            while self._pending or self._pending_audio:
                while self._pending:
                    if not await self._deliver(conn, self._pending[0]):
                        return
                    self._pending.popleft()
                if not await self._send_audio_chunks(conn, self._pending_audio.take()):
                    return
        finally:
            self._replaying = False

    async def _send_audio_chunks(self, conn: LiveConnection, chunks: list[bytes]) -> bool:
        for position, pcm in enumerate(chunks):
            try:
                await conn.send_audio(pcm)
            except Exception:
                self._fail_send("audio")
                for unsent in chunks[position:]:
                    self._pending_audio.append(unsent)
                return False
            self._untranscribed.append(pcm)
        return True

    async def _read(self, conn: LiveConnection) -> None:
        try:
            async for event in conn.events():
                if conn is not self._conn:
                    return
                match event:
                    case Resumable(handle=handle):
                        self.handle = handle
                        self.ledger.cover_all()
                        self._save_handle(handle)
                    case GoingAway(time_left=time_left):
                        by = self._clock() + max(0.0, time_left - self.config.goaway_margin)
                        self.plan_switch(by=by, fresh=False)
                    case ProviderError():
                        self._error = event
                    case _:
                        self._on_event(event)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a provider bug must not end the session: treat it as a drop
            log.exception("session %s: provider reader failed", self.session_id)
            self._error = ProviderError("provider_exception", str(exc), retryable=True)
        finally:
            if conn is self._conn:
                self._wake.set()
