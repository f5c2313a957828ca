"""The provider connection of one live session: opening it (with retries and backoff), replaying to each new
connection exactly what it has not heard, reading its events, and closing it. When and why to replace a
connection is the runner's decision; this unit carries it out and tells the runner, on its inbox, what
happened: a typed turn delivered, a resumption handle issued, a switch the provider asks for, the connection
lost (signals.py). It never calls into the runner.

While no connection is open (or one is being replaced) the student's input is queued, never refused:
typed turns and pictures in order, audio up to a bound; frames of a shared camera or screen are the
exception, sent live or not at all. A typed turn counts as said once a connection took it (`Delivered`).
What the tutor still owes an answer for lives in the ledger (inputs.py) and is replayed to the next
connection: turns as their text, pictures as pictures, speech not yet transcribed as audio.
"""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import replace

from ..brief import SessionSetup
from ..config import RunnerConfig
from ..events import GoingAway, ProviderError, Resumable, ToolCall
from ..providers.base import LiveConnection, LiveProvider, ProviderConnectError
from .inputs import AudioTail, Ledger, Owed, OwedPicture, OwedTurn
from .signals import ConnectionLost, Delivered, HandleIssued, Inbox, SwitchDue
from .store import FinishedTurn

log = logging.getLogger(__name__)


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
        inbox: Inbox,
        clock: Callable[[], float],
        handle: str | None = None,
    ) -> None:
        self.session_id = session_id
        self.provider = provider
        self.config = config
        self.ledger = Ledger()
        self.handle = handle  # what the next connection resumes with
        self.serial = 0  # the number of the current (or last) connection, as ConnectionLost names it
        self._inbox = inbox
        self._clock = clock
        self._conn: LiveConnection | None = None
        self._reader: asyncio.Task | None = None
        self._error: ProviderError | None = None
        self._broken = False  # a send failed: the connection is to be replaced
        self._pending: deque[Owed] = deque()  # typed turns and pictures waiting for a connection
        self._pending_audio = AudioTail(config.audio_buffer_ms)  # audio waiting for a connection
        self._untranscribed = AudioTail(config.audio_buffer_ms)  # audio sent, not yet a finished turn
        self._asked: dict[str, LiveConnection] = {}  # a tool call is answered on the connection that made it
        self._tasks: set[asyncio.Task] = set()
        self._replaying = False  # a new connection hears the past first; input meanwhile queues
        self._in_turn = False  # the app's turns: a student turn is under way (activity_start, not yet its end)
        self._turn_owed = False  # the app's turns: one ended, and no transcript has covered it yet
        self.resumed = False  # the current connection took up the provider's session with a resumption handle

    @property
    def connected(self) -> bool:
        return self._conn is not None

    @property
    def error(self) -> ProviderError | None:
        """What the provider said went wrong with the current connection, if it said anything."""
        return self._error

    @property
    def settled(self) -> bool:
        """Nothing is owed or waiting: with nobody mid-turn, a moment to switch without cutting anyone off."""
        return not self.ledger and not self._pending

    def resume(self, *, handle: str | None, owed: list[OwedTurn]) -> None:
        """A session taken up where the store left it: the handle it had, and the turns still owed an answer
        (covered by that handle, if the old server kept one: it was issued after them)."""
        self.handle = handle
        for item in owed:
            self.ledger.owe(item, covered=handle is not None)

    # ---- what the runner tells it ----------------------------------------------------------------

    def transcribed(self, turn: FinishedTurn) -> None:
        """A spoken student turn is final: it is owed as text from now on, not as the audio it came from."""
        self._untranscribed.clear()
        self._turn_owed = False
        if turn.text:
            self.ledger.owe(OwedTurn(turn=turn, spoken=True))

    def answered(self, tutor_turn: int) -> None:
        self.ledger.answered_by(tutor_turn)
        self._untranscribed.clear()
        self._turn_owed = False

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

    async def activity_start(self, *, interrupting: bool) -> None:
        """The app heard the student's turn begin (the provider's `app_turns`); a new connection is told again
        (_replay), so the audio it is given is a turn it answers."""
        self._in_turn = True
        await self._control(lambda conn: conn.activity_start(interrupting=interrupting))

    async def activity_end(self) -> None:
        self._in_turn, self._turn_owed = False, True
        await self._control(lambda conn: conn.activity_end())

    async def nudge(self, instruction: str) -> None:
        """Not the student's: nothing owed, replayed or recorded."""
        await self._control(lambda conn: conn.nudge(instruction))

    def answer_tool(self, call: ToolCall, result: dict) -> None:
        """Answered on the connection that asked, if it is still open (a new one never heard the call)."""
        conn = self._asked.pop(call.call_id, None)
        if conn is None or conn is not self._conn:
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
            self._inbox.post(Delivered(item.turn))
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
        if not self._broken:
            self._broken = True
            self._inbox.post(ConnectionLost(self.serial))

    # ---- connecting and closing ------------------------------------------------------------------

    def use_provider(self, provider: LiveProvider, config: RunnerConfig) -> None:
        """Go on with another provider (failover): its first connection starts fresh, from the context,
        and is given again everything owed (the old provider's resumption handle means nothing to it)."""
        self.provider, self.config = provider, config
        self.forget_handle()
        self.ledger.uncover_all()

    def forget_handle(self) -> None:
        """The next connection starts fresh, from the summaries and recent turns, not from the handle."""
        self.handle = None

    async def open(self, setup: SessionSetup) -> None:
        """Open a connection (with retries), then replay what it has not heard. Raises ConnectFailed."""
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
            self.serial += 1
            self._conn, self._error, self._broken = conn, None, False
            self.resumed = setup.resumption_handle is not None
            self._reader = asyncio.create_task(self._read(conn), name=f"provider-reader-{self.session_id}")
            resumed_with_input = setup.resumption_handle is not None and self.provider.resumption_keeps_input
            await self._replay(conn, resumed_with_input=resumed_with_input)
            return
        raise ConnectFailed(
            "provider_unavailable", last.message if last else "the tutor service did not answer", retryable=True
        )

    async def close(self) -> None:
        """Close the connection first, before a new one: Gemini refuses a resume while the old one is open."""
        conn, reader = self._conn, self._reader
        self._conn, self._reader = None, None
        self._asked.clear()
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
            if not await self._replay_speech(conn):
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

    async def _replay_speech(self, conn: LiveConnection) -> bool:
        """The student's speech no transcript covers yet, and what they said while no connection was open. With
        the app's turns it is a turn of its own (marked, so the service answers it), unless the student is still
        speaking: then the turn goes on on this connection, and ends when the app says so."""
        heard = self._untranscribed.take()
        if not self._pending:  # what was said meanwhile goes with it, unless a typed turn came in between
            heard += self._pending_audio.take()
        # Only a turn: the microphone's audio between turns (what a page sends while the tutor connects) is none.
        marked = self.provider.app_turns and (self._in_turn or (self._turn_owed and bool(heard)))
        try:
            if marked:
                await conn.activity_start(interrupting=False)
            if not await self._send_audio_chunks(conn, heard):
                return False
            if marked and not self._in_turn:
                await conn.activity_end()
        except Exception:
            self._fail_send("turn")
            return False
        return True

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
        """Every event of the connection goes to the runner's inbox, but what is the connection's own business:
        a handle (kept here for the next connection, and told), a goAway (a switch due), an error (told with
        the loss of the connection, when its events end)."""
        try:
            async for event in conn.events():
                if conn is not self._conn:
                    return
                match event:
                    case Resumable(handle=handle):
                        self.handle = handle
                        self.ledger.cover_all()
                        self._inbox.post(HandleIssued(handle))
                    case GoingAway(time_left=time_left):
                        now = self._clock()
                        by = now + max(0.0, time_left - self.config.goaway_margin)
                        # A connection that issues handles sends its newest right after the goAway: wait for it.
                        handle_by = min(by, now + self.config.goaway_handle_wait) if self.handle is not None else None
                        self._inbox.post(SwitchDue(by=by, fresh=False, handle_by=handle_by))
                    case ProviderError():
                        self._error = event
                    case ToolCall(call_id=call_id):
                        self._asked[call_id] = conn
                        self._inbox.post(event)
                    case _:
                        self._inbox.post(event)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a provider bug must not end the session: treat it as a drop
            log.exception("session %s: provider reader failed", self.session_id)
            self._error = ProviderError("provider_exception", str(exc), retryable=True)
        finally:
            if conn is self._conn:
                self._inbox.post(ConnectionLost(self.serial, self._error))
