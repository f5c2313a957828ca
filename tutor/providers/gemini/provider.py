"""Gemini Live provider: one connection to BidiGenerateContent through google-genai, normalized to tutor events.

The SDK's session stays open across calls (an AsyncExitStack holds its context manager). One reader
task reads the SDK's socket until the connection closes and queues the translated events for
`events()`; the messages are parsed as the SDK parses them, the model's audio without its models
(messages.py).

Sends after the connection closed raise ConnectionError (the SDK would leak websockets' own exceptions);
the runner treats any failed send as undelivered and keeps the student's audio for the next connection.
"""

import asyncio
import base64
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from google import genai
from google.genai import errors, types
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from tutor.audio import INPUT_RATE, OUTPUT_RATE, bytes_for_ms
from tutor.brief import SessionSetup
from tutor.events import AudioOut, GoingAway, Interrupted, ProviderError, ProviderEvent, Resumable, TurnComplete, Usage

from ..activity import Preroll
from ..base import ProviderConnectError
from ..catalog import CATALOG, Catalog
from .config import GeminiConfig
from .live_config import live_config
from .messages import MessageTranslator, closed_error, connect_error

log = logging.getLogger(__name__)

AUDIO_MIME = f"audio/pcm;rate={INPUT_RATE}"
# json.dumps of {"realtime_input": {"audio": {"data": ..., "mime_type": AUDIO_MIME}}}, around the data (base64
# needs no escaping).
AUDIO_BEFORE, AUDIO_AFTER = json.dumps({"realtime_input": {"audio": {"data": "*", "mime_type": AUDIO_MIME}}}).split("*")
# After a goAway, how long TurnComplete waits for the handle that follows it (see GeminiConnection.events).
HANDLE_GRACE_SECONDS = 1.0
# Live models speak only when spoken to: on a new lesson this tells the tutor the student is there, so it
# greets first as its instructions say (the student would otherwise face silence).
JOIN_CUE = "(The student has joined the lesson.)"
# A session another tutor service was running, which failed: the new tutor says it is back, in one line.
TAKEOVER_CUE = (
    "(The connection was lost for a moment and is back. Say one short sentence in the lesson's language "
    "that you are back, then carry on where the conversation stood.)"
)
# The same, ahead of the student's last message, still unanswered: one turn, so the model answers it once.
TAKEOVER_BEFORE_ANSWER_CUE = (
    "(The connection was lost for a moment and is back. Begin your answer to what the student says next with "
    "one short sentence in the lesson's language that you are back.)"
)


def audio_message(pcm16_16k: bytes) -> str:
    """The exact text SDK 3.6.1's `send_realtime_input(audio=Blob(pcm, AUDIO_MIME))` sends (a test compares
    them byte for byte). Built directly it costs a quarter of the CPU: the SDK validates and converts a
    pydantic model on every call, which a fixed-format audio message does not need."""
    return AUDIO_BEFORE + base64.urlsafe_b64encode(pcm16_16k).decode() + AUDIO_AFTER


class GeminiProvider:
    name = "gemini"
    resumption_keeps_input = False
    input_rate = INPUT_RATE
    output_rate = OUTPUT_RATE

    def __init__(self, config: GeminiConfig, catalog: Catalog = CATALOG) -> None:
        self.config = config
        self.catalog = catalog  # what differs between the Live models (tutor/providers/catalog.py)
        self.app_turns = config.app_turns
        websocket_args: dict[str, Any] = {"ping_interval": config.ping_interval, "ping_timeout": config.ping_timeout}
        if (context := config.tls_context()) is not None:
            websocket_args["ssl"] = context
        self._client = genai.Client(
            api_key=config.api_key,
            http_options=types.HttpOptions(
                api_version=config.api_version, base_url=config.base_url, async_client_args=websocket_args
            ),
        )

    async def connect(self, setup: SessionSetup) -> "GeminiConnection":
        model = self.catalog.model(setup.model)
        config = live_config(
            setup, model=model, site_silence_ms=self.config.silence_duration_ms, app_turns=self.app_turns
        )
        stack = contextlib.AsyncExitStack()
        try:
            async with asyncio.timeout(self.config.connect_timeout):
                session = await stack.enter_async_context(
                    self._client.aio.live.connect(model=setup.model, config=config)
                )
        except errors.APIError as exc:
            await stack.aclose()
            raise connect_error(exc.code, str(exc.details or ""), resuming=setup.resumption_handle is not None) from exc
        except InvalidStatus as exc:  # the upgrade itself refused: a wrong base URL or API version, or an outage
            await stack.aclose()
            status = exc.response.status_code
            final = 400 <= status < 500 and status != 429
            raise ProviderConnectError(
                "refused" if final else "unavailable",
                f"The tutor service answered HTTP {status}: check GEMINI_BASE_URL and GEMINI_API_VERSION.",
                retryable=not final,
            ) from exc
        except (OSError, TimeoutError, WebSocketException) as exc:
            await stack.aclose()
            raise ProviderConnectError(
                "unavailable", f"The tutor service could not be reached ({exc or type(exc).__name__}).", retryable=True
            ) from exc
        if session.setup_complete is None:
            await stack.aclose()
            raise ProviderConnectError("unavailable", "The tutor service did not confirm the session.", retryable=True)
        connection = GeminiConnection(
            session,
            stack,
            chunk_bytes=bytes_for_ms(self.config.audio_chunk_ms, INPUT_RATE),
            non_blocking_tools=bool(setup.tools) and not (model is not None and model.blocking_only),
            app_turns=self.app_turns,
        )
        if setup.takes_over and setup.answer_owed:
            connection.cue_next_text(TAKEOVER_BEFORE_ANSWER_CUE)
        elif setup.takes_over:
            await connection.send_text(TAKEOVER_CUE)
        elif self.config.greet_first and setup.resumption_handle is None and setup.context.empty:
            await connection.send_text(JOIN_CUE)
        return connection


class GeminiConnection:
    """Owns one SDK session; a reader task turns its messages into events for `events()`.

    With `app_turns` the app marks each student turn with activityStart and activityEnd (the service's detection
    is off, live_config.py): the service hears a turn's audio only, from just before its start (activity.py), and
    answers after its end. Tutor audio still arriving after an interrupting activityStart is not played: it
    belongs to the reply the student cut off, until the service says `interrupted` or ends that turn."""

    def __init__(
        self,
        session: genai.live.AsyncSession,
        stack: contextlib.AsyncExitStack,
        *,
        chunk_bytes: int,
        non_blocking_tools: bool,
        app_turns: bool = False,
    ) -> None:
        self._session = session
        self._stack = stack
        self._chunk_bytes = chunk_bytes
        self._non_blocking_tools = non_blocking_tools  # declared NON_BLOCKING (live_config.py)
        self._pending = bytearray()  # microphone audio not yet sent, less than one chunk
        self._closing = False
        self._cue = ""  # said with the next typed text (cue_next_text)
        self._translator = MessageTranslator()
        self._events: asyncio.Queue[ProviderEvent | None] = asyncio.Queue()
        self._going_away = False
        self._app_turns = app_turns
        self._active = False  # between activityStart and activityEnd
        self._preroll = Preroll()  # audio heard outside a turn: its start goes with the next one
        self._replying = False  # the model's audio of a turn has come, and not its end yet
        self._muted = False  # an interrupting activityStart cut that reply: its late audio is dropped
        self._reader = asyncio.create_task(self._read(), name="gemini-reader")

    async def send_audio(self, pcm16_16k: bytes) -> None:
        """Batched: one send per `audio_chunk_ms` whatever the browser's frame size (each send costs CPU)."""
        if self._closing:
            raise ConnectionError("the Gemini connection is closed")
        if self._app_turns and not self._active:
            self._preroll.hold(pcm16_16k)
            return
        self._pending += pcm16_16k
        if len(self._pending) >= self._chunk_bytes:
            await self._flush_audio()

    async def activity_start(self, *, interrupting: bool) -> None:
        """activityStart, then the audio of the moment before it. The service cuts a reply it is giving
        (activity handling's default), and the reply's audio still on its way is dropped here."""
        if not self._app_turns or self._active:
            return
        self._active = True
        self._muted = self._muted or (interrupting and self._replying)
        await self._send(lambda: self._session.send_realtime_input(activity_start=types.ActivityStart()))
        self._pending += self._preroll.take()
        await self._flush_audio()

    async def activity_end(self) -> None:
        """The turn's last audio, then activityEnd: the service answers now."""
        if not self._app_turns or not self._active:
            return
        self._active = False
        await self._flush_audio()
        await self._send(lambda: self._session.send_realtime_input(activity_end=types.ActivityEnd()))

    async def nudge(self, instruction: str) -> None:
        """A typed instruction the model answers at once, as the join cue is."""
        await self.send_text(instruction)

    def cue_next_text(self, cue: str) -> None:
        """Send `cue` with the next typed text, as one turn: two texts in a row would be two answers."""
        self._cue = cue

    async def send_text(self, text: str) -> None:
        await self._flush_audio()
        self._translator.prompted()
        cued, self._cue = (f"{self._cue}\n{text}" if self._cue else text), ""
        await self._send(lambda: self._session.send_realtime_input(text=cued))

    async def send_image(self, data: bytes, mime: str) -> None:
        """A picture is a realtime video frame (the SDK refuses a mime type that is not image/*)."""
        await self.send_video_frame(data, mime)

    async def send_video_frame(self, data: bytes, mime: str) -> None:
        """Realtime video input, as Google's Live console streams a camera: the model sees the latest frame
        when it next answers, and no frame asks for an answer by itself."""
        await self._flush_audio()
        self._translator.prompted()
        await self._send(lambda: self._session.send_realtime_input(video=types.Blob(data=data, mime_type=mime)))

    async def send_tool_result(self, call_id: str, name: str, result: dict) -> None:
        """SILENT: the tutor's tools take notes, and the model should not speak about a note being taken. An
        error is answered WHEN_IDLE so the model hears it and may call again. The service honours scheduling
        only for NON_BLOCKING calls (live_config.py); a blocking call's answer is simply where the model goes on."""
        silent = "error" not in result
        scheduling = types.FunctionResponseScheduling.SILENT if silent else types.FunctionResponseScheduling.WHEN_IDLE
        if self._non_blocking_tools and not silent:  # the model will speak about it once idle: a reply to us
            self._translator.prompted()
        response = types.FunctionResponse(id=call_id, name=name, response=result, scheduling=scheduling)
        await self._send(lambda: self._session.send_tool_response(function_responses=[response]))

    async def end_audio_stream(self) -> None:
        """Microphone off: send what is batched, then audio_stream_end so the service stops waiting for more.
        The app's turns end with activityEnd instead (the service takes audio_stream_end only from its own
        detection)."""
        if self._app_turns:
            return
        await self._flush_audio()
        await self._send(lambda: self._session.send_realtime_input(audio_stream_end=True))

    async def playback_heard(self, played_ms: int) -> None:
        """Nothing to do: Gemini has no client-side truncation; it learns of barge-in from the audio itself."""

    async def events(self) -> AsyncIterator[ProviderEvent]:
        """After a goAway, a TurnComplete waits (up to HANDLE_GRACE_SECONDS) for the resumption handle the
        service sends right after it: the runner reconnects on that TurnComplete, and resuming with the
        handle from before the turn would make the tutor forget it."""
        held: TurnComplete | None = None
        while True:
            if held is None:  # the usual case, without a timer per event
                event = await self._events.get()
            else:
                try:
                    async with asyncio.timeout(HANDLE_GRACE_SECONDS):
                        event = await self._events.get()
                except TimeoutError:  # no handle came: the runner must not wait for it
                    event, held = held, None
                    yield event
                    continue
            if event is None:
                if held is not None:
                    yield held
                return
            if not self._heard(event):
                continue
            if held is not None and not isinstance(event, Resumable | Usage):
                yield held  # anything else of the conversation first releases the held turn end
                held = None
            match event:
                case GoingAway():
                    self._going_away = True
                case TurnComplete() if self._going_away:
                    held = event
                    continue
                case Resumable() if held is not None:
                    yield event
                    event, held = held, None
            yield event

    async def close(self) -> None:
        """Leaving the SDK's context closes with 1000. Audio still batched is dropped: after a goAway it
        would reach a session the new connection does not resume."""
        if self._closing:
            return
        self._closing = True
        self._pending.clear()
        await self._stack.aclose()
        await self._reader

    async def _read(self) -> None:
        try:
            while True:
                raw = await self._session._ws.recv(decode=False)
                for event in self._translator.translate_raw(raw):
                    self._events.put_nowait(event)
        except ConnectionClosed as exc:  # every close, even a normal one, ends the reading this way
            if not self._closing:
                code, reason = (exc.rcvd.code, exc.rcvd.reason) if exc.rcvd else (1006, "")
                self._events.put_nowait(closed_error(code, reason))
        except errors.APIError as exc:  # an error payload in place of a message
            if not self._closing:
                self._events.put_nowait(closed_error(exc.code, str(exc.details or "")))
        except Exception as exc:  # a message that cannot be parsed: this connection is no longer usable
            log.exception("Gemini reader failed")
            error = ProviderError("protocol", f"Unexpected reply from the tutor service ({exc})", retryable=True)
            self._events.put_nowait(error)
        finally:
            self._events.put_nowait(None)

    def _heard(self, event: ProviderEvent) -> bool:
        """False for the late audio of a reply the student cut off (see the class)."""
        match event:
            case AudioOut():
                self._replying = True
                return not self._muted
            case Interrupted() | TurnComplete():
                self._replying = self._muted = False
        return True

    async def _flush_audio(self) -> None:
        if not self._pending:
            return
        message = audio_message(self._pending)
        self._pending.clear()
        # The SDK's own socket (the session keeps no other state), so the wire is what the SDK would send.
        await self._send(lambda: self._session._ws.send(message))

    async def _send(self, send: Callable[[], Awaitable[None]]) -> None:
        if self._closing:
            raise ConnectionError("the Gemini connection is closed")
        try:
            await send()
        except ConnectionClosed as exc:
            raise ConnectionError(f"the Gemini connection closed ({exc})") from exc
