"""OpenAI Realtime provider (GA protocol): one WebSocket per connection, normalized to tutor events.

The browser's 16 kHz microphone is resampled to the service's 24 kHz; server events become the
engine's events (events.py); a barge-in is finished by truncating the tutor's item to what the
student actually heard; the 60-minute session limit ends in a retryable error, after which the
runner opens a new session seeded with the persona, the latest summary and the recent turns.
Wire facts: shared/reference/openai-realtime.md.
"""

import asyncio
import base64
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from itertools import count
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.http11 import Response

from tutor.audio import INPUT_RATE, StreamResampler
from tutor.brief import SessionSetup
from tutor.events import (
    AudioOut,
    GoingAway,
    Interrupted,
    ProviderError,
    ProviderEvent,
    SpeechStarted,
    TokenUsage,
    ToolCall,
    TranscriptDelta,
    TranscriptFinal,
    TurnComplete,
    Usage,
)

from ..activity import Preroll
from ..base import ProviderConnectError
from ..catalog import CATALOG
from .config import OpenAIConfig
from .session import (
    REALTIME_RATE,
    TAKEOVER_BEFORE_ANSWER_NOTE,
    TAKEOVER_NOTE,
    context_items,
    session_update,
    system_message,
    user_message,
)

log = logging.getLogger(__name__)

BYTES_PER_MS = REALTIME_RATE * 2 // 1000
PLAYBACK_SLACK = 1.0  # seconds a browser may still be playing after the audio's own length
# Races the service reports but that change nothing (reference §6): logged, never fatal.
BENIGN_ERRORS = frozenset(
    {"conversation_already_has_active_response", "response_cancel_not_active", "input_audio_buffer_commit_empty"}
)
# What no new connection can fix (a model the service no longer offers fails every response with model_not_found).
FATAL_ERRORS = frozenset({"beta_api_shape_disabled", "invalid_api_key", "insufficient_quota", "model_not_found"})
_REMEMBERED_EVENTS = 256
# Each microphone frame goes out as it comes, not held back for a resampler's block (tutor/audio.py).
MICROPHONE_RESAMPLING = "QQ"
# json.dumps({"type": "input_audio_buffer.append", "audio": ...}) around the audio (base64 needs no escaping):
# fifty of them a second per student.
APPEND_BEFORE, APPEND_AFTER = json.dumps({"type": "input_audio_buffer.append", "audio": "*"}).split("*")


class OpenAIRealtimeProvider:
    name = "openai"
    resumption_keeps_input = False
    input_rate = INPUT_RATE  # what the browser sends; the connection resamples
    output_rate = REALTIME_RATE

    def __init__(self, config: OpenAIConfig) -> None:
        self.config = config
        self.app_turns = config.app_turns

    async def connect(self, setup: SessionSetup) -> "OpenAIRealtimeConnection":
        voices = CATALOG.voices(self.name)
        if setup.voice not in voices:  # checked before dialing: the service would refuse the session
            raise ProviderConnectError(
                "invalid_voice",
                f"OpenAI Realtime has no voice {setup.voice!r}; choose one of: {', '.join(voices)}.",
                retryable=False,
            )
        ws = await self._dial(setup.model)
        connection = OpenAIRealtimeConnection(ws, self.config)
        try:
            await connection.open(setup)
        except BaseException:
            await ws.close()
            raise
        return connection

    async def _dial(self, model: str) -> ClientConnection:
        try:
            url = self.config.realtime_url(model)
        except ValueError as exc:
            raise ProviderConnectError("bad_base_url", str(exc), retryable=False) from exc
        context = self.config.tls_context()
        tls = {"ssl": context} if context is not None else {}
        try:
            return await connect(
                url,
                additional_headers=self.config.auth_headers(),
                max_size=None,  # conversation.item.retrieved carries whole audio items
                compression=None,  # PCM does not compress; deflate would only cost CPU
                open_timeout=self.config.connect_timeout,
                **tls,
            )
        except InvalidStatus as exc:
            raise _handshake_error(exc.response) from exc
        except InvalidURI as exc:
            raise ProviderConnectError("bad_base_url", str(exc), retryable=False) from exc
        except (OSError, TimeoutError, InvalidHandshake) as exc:
            raise ProviderConnectError(
                "unreachable", f"Could not reach OpenAI Realtime at {url}: {exc}", retryable=True
            ) from exc


def _handshake_error(response: Response) -> ProviderConnectError:
    status, detail = response.status_code, _error_message(response.body)
    if status in (401, 403):
        return ProviderConnectError(
            "auth",
            f"OpenAI refused the API key (HTTP {status}); check OPENAI_API_KEY, and OPENAI_AUTH on Azure "
            f"(api-key for a resource key, bearer for a token). {detail}".strip(),
            retryable=False,
        )
    if status in (408, 429) or status >= 500:
        return ProviderConnectError(
            "unavailable", f"OpenAI is unavailable (HTTP {status}). {detail}".strip(), retryable=True
        )
    return ProviderConnectError(
        "rejected", f"OpenAI refused the connection (HTTP {status}). {detail}".strip(), retryable=False
    )


def _error_message(body: bytes | None) -> str:
    try:
        return str(json.loads(body or b"")["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return ""


def token_usage(usage: dict[str, Any]) -> TokenUsage:
    """`response.done` usage by modality; cached tokens are a part of the input ones, as in TokenUsage."""
    given = usage.get("input_token_details") or {}
    made = usage.get("output_token_details") or {}
    return TokenUsage(
        text_in=given.get("text_tokens") or 0,
        audio_in=given.get("audio_tokens") or 0,
        image_in=given.get("image_tokens") or 0,
        cached_in=given.get("cached_tokens") or 0,
        text_out=made.get("text_tokens") or 0,
        audio_out=made.get("audio_tokens") or 0,
    )


def transcription_usage(usage: Any) -> TokenUsage | None:
    """`...input_audio_transcription.completed` usage: `{"type": "tokens", "input_tokens", "input_token_details":
    {"text_tokens", "audio_tokens"}, "output_tokens", ...}` for the gpt-4o transcribers, or `{"type":
    "duration", "seconds"}` for the models billed by the minute (gpt-transcribe, gpt-live-transcribe,
    gpt-realtime-whisper, whisper-1): their seconds, which the catalog's per-minute price turns into a cost
    (docs/providers/openai.md). None for anything else (logged)."""
    if isinstance(usage, dict) and usage.get("type") == "duration":
        seconds = usage.get("seconds")
        if isinstance(seconds, int | float) and seconds >= 0:
            return TokenUsage(audio_seconds=float(seconds))
    if not isinstance(usage, dict) or usage.get("type") != "tokens":
        log.warning("OpenAI transcription usage not understood, not recorded: %r", usage)
        return None
    details = usage.get("input_token_details") or {}
    audio_in = details.get("audio_tokens")
    return TokenUsage(
        text_in=details.get("text_tokens") or 0,
        audio_in=(usage.get("input_tokens") or 0) if audio_in is None else audio_in,  # no details: all audio
        text_out=usage.get("output_tokens") or 0,
    )


@dataclass
class _ItemAudio:
    """How much tutor audio of one assistant item reached us, and when it started to."""

    item_id: str
    started_at: float
    received_ms: float = 0.0


class OpenAIRealtimeConnection:
    """Owns one WebSocket. Sends may come from any task; events() is the single reader.

    The service allows one response at a time, so response.create is sent only when none is running
    or on its way; otherwise it waits for the running one's `response.done`.

    When the app decides the student's turns (`config.app_turns`; turn detection off in the session), the input
    buffer gets a turn's audio only, from just before its start (activity.py): at its end the buffer is
    committed and the answer asked for; a turn that starts over the tutor cancels the running response.
    """

    def __init__(self, ws: ClientConnection, config: OpenAIConfig) -> None:
        self._ws = ws
        self._config = config
        self._resampler = StreamResampler(INPUT_RATE, REALTIME_RATE, quality=MICROPHONE_RESAMPLING)
        self._ids = count(1)
        self._sent: dict[str, str] = {}  # event_id -> type of what we sent, to make sense of errors
        self._response_active = False
        self._response_requested = False  # response.create sent, response.created not yet seen
        self._response_wanted = False  # a response.create waits for the running response to end
        self._calls: dict[str, str] = {}  # call_id -> function name, from the output items
        self._unanswered: set[str] = set()
        self._item: _ItemAudio | None = None  # the tutor's latest spoken item
        self._interrupted: _ItemAudio | None = None  # the item a barge-in cut, until it is truncated
        self._muted_item: str | None = None  # its late audio is not played
        self._student_speaking = False
        self._app_turns = config.app_turns
        self._preroll = Preroll()  # the app's turns: audio heard outside a turn, its start goes with the next one
        self._appended = False  # audio appended since the last commit (the service refuses an empty commit)
        self._frame: dict[str, str] | None = None  # the newest frame of a shared camera or screen, not yet given
        self._ends_at: float | None = None
        self._warn_at: float | None = None
        self._failed = False
        self._closing = False

    # ---- setting up --------------------------------------------------------------------------

    async def open(self, setup: SessionSetup) -> None:
        """Configure the session and wait until the service accepts it, so a bad request fails connect()."""
        update_id = await self._send({"type": "session.update", "session": session_update(setup, self._config)})
        try:
            async with asyncio.timeout(self._config.connect_timeout):
                while True:
                    event = json.loads(await self._ws.recv())
                    match event.get("type"):
                        case "session.created":
                            self._note_expiry(event["session"])
                        case "session.updated":
                            break
                        case "error":
                            raise _setup_error(event.get("error") or {}, update_id)
        except TimeoutError as exc:
            raise ProviderConnectError(
                "timeout", "OpenAI did not confirm the session in time.", retryable=True
            ) from exc
        except ConnectionClosed as exc:
            error = self._closed_error()
            raise ProviderConnectError(error.code, error.message, retryable=error.retryable) from exc
        for item in context_items(setup.context):
            await self._send({"type": "conversation.item.create", "item": item})
        if setup.takes_over and setup.answer_owed:  # the replayed turn asks for the answer, back line first
            await self._send({"type": "conversation.item.create", "item": system_message(TAKEOVER_BEFORE_ANSWER_NOTE)})
        elif setup.takes_over:  # another tutor service was running the session and failed
            await self._send({"type": "conversation.item.create", "item": system_message(TAKEOVER_NOTE)})
            await self._request_response()
        elif setup.context.empty:  # a new lesson: the persona greets first, as its instructions say
            await self._request_response()

    def _note_expiry(self, session: dict[str, Any]) -> None:
        expires_at = session.get("expires_at")
        if not isinstance(expires_at, int | float) or expires_at <= 0:
            return
        left = expires_at - time.time()
        self._ends_at = time.monotonic() + left
        if 0 < self._config.expiry_warning < left:  # a session shorter than that just ends with the close
            self._warn_at = self._ends_at - self._config.expiry_warning

    # ---- sending -----------------------------------------------------------------------------

    async def send_audio(self, pcm16_16k: bytes) -> None:
        if self._app_turns and not self._student_speaking:
            self._preroll.hold(pcm16_16k)
            return
        await self._append(pcm16_16k)

    async def _append(self, pcm16_16k: bytes) -> None:
        pcm = self._resampler.process(pcm16_16k)
        if pcm:  # no event_id: fifty a second, and an error about one chunk is not actionable
            await self._ws.send(APPEND_BEFORE + base64.b64encode(pcm).decode("ascii") + APPEND_AFTER)
            self._appended = True

    async def activity_start(self, *, interrupting: bool) -> None:
        """The student's turn began: over the tutor, the running response is cancelled and its item cut to
        what was heard once the page says (playback_heard); the held frame and the audio of the moment
        before go first."""
        if not self._app_turns or self._student_speaking:
            return
        if interrupting:
            active = self._response_active
            self._speech_started()  # notes the item to truncate and mutes its late audio
            if active:
                await self._send({"type": "response.cancel"})
        self._student_speaking = True
        await self._give_frame()
        await self._append(self._preroll.take())

    async def activity_end(self) -> None:
        """The turn is over: commit what it said and ask for the answer."""
        if not self._app_turns or not self._student_speaking:
            return
        self._student_speaking = False
        if self._appended:
            self._appended = False
            await self._send({"type": "input_audio_buffer.commit"})
            await self._request_response()

    async def nudge(self, instruction: str) -> None:
        """A system message and a response: the tutor answers the instruction, the student said nothing."""
        await self._send({"type": "conversation.item.create", "item": system_message(instruction)})
        await self._request_response()

    async def send_text(self, text: str) -> None:
        await self._give_frame()
        await self._send(
            {"type": "conversation.item.create", "item": user_message({"type": "input_text", "text": text})}
        )
        await self._request_response()

    async def send_image(self, data: bytes, mime: str) -> None:
        """A picture is answered at once: the student showed it to hear about it (and it is a newer view
        than any frame held)."""
        self._frame = None
        await self._send({"type": "conversation.item.create", "item": user_message(image_content(data, mime))})
        await self._request_response()

    async def send_video_frame(self, data: bytes, mime: str) -> None:
        """Realtime has no video input, and each frame as an item would be billed again at every response
        and fill the context: the newest is kept, and given with the student's next turn (_give_frame)."""
        self._frame = image_content(data, mime)

    async def _give_frame(self) -> None:
        """The held frame joins the conversation just before the student's turn: at the start of speech
        (turn detection answers the moment speech stops, from the conversation as it stands) or ahead of
        a typed message. It asks for no response of its own."""
        frame, self._frame = self._frame, None
        if frame is not None:
            await self._send({"type": "conversation.item.create", "item": user_message(frame)})

    async def send_tool_result(self, call_id: str, name: str, result: dict) -> None:
        """The service never answers a function output by itself: ask for a response once all are in."""
        self._unanswered.discard(call_id)
        output = {"type": "function_call_output", "call_id": call_id, "output": json.dumps(result)}
        await self._send({"type": "conversation.item.create", "item": output})
        if not self._unanswered:
            await self._request_response()

    async def end_audio_stream(self) -> None:
        """Turn detection ends a turn on silence, but a microphone switched off mid-sentence sends no
        silence: then commit what was said and ask for the answer. Otherwise there is nothing to do
        (a commit would only earn `input_audio_buffer_commit_empty`). The app's turns end with activity_end."""
        if self._app_turns:
            return
        if self._student_speaking:
            self._student_speaking = False
            await self._send({"type": "input_audio_buffer.commit"})
            await self._request_response()

    async def playback_heard(self, played_ms: int) -> None:
        """Cut the interrupted item to what was heard, never past what we received (the service refuses
        that) and not at all at 0 ms (it refuses that too); the service drops the rest and its transcript."""
        item, self._interrupted = self._interrupted, None
        if item is None:
            return
        audio_end_ms = min(played_ms, int(item.received_ms))
        if audio_end_ms <= 0:
            return
        await self._send(
            {
                "type": "conversation.item.truncate",
                "item_id": item.item_id,
                "content_index": 0,
                "audio_end_ms": audio_end_ms,
            }
        )

    async def close(self) -> None:
        self._closing = True
        await self._ws.close()

    async def _send(self, event: dict[str, Any]) -> str:
        """Every event but audio carries an event_id, so an `error` names what it refers to."""
        event_id = f"evt_{next(self._ids)}"
        self._sent[event_id] = event["type"]
        if len(self._sent) > _REMEMBERED_EVENTS:
            del self._sent[next(iter(self._sent))]
        await self._ws.send(json.dumps({**event, "event_id": event_id}))
        return event_id

    async def _request_response(self) -> None:
        if self._response_active or self._response_requested:
            self._response_wanted = True
            return
        self._response_requested, self._response_wanted = True, False
        await self._send({"type": "response.create"})

    # ---- receiving ---------------------------------------------------------------------------

    async def events(self) -> AsyncIterator[ProviderEvent]:
        while True:
            try:
                raw = await self._next_message()
            except ConnectionClosed:
                break
            if raw is None:
                yield GoingAway(time_left=max(0.0, (self._ends_at or 0.0) - time.monotonic()))
                continue
            try:
                events = await self._on_event(json.loads(raw))
            except ConnectionClosed:  # while answering it (a queued response.create, say)
                break
            except (ValueError, KeyError, TypeError) as exc:  # a compatible server's odd event, not a drop
                log.warning("OpenAI Realtime: skipped a malformed event: %r", exc)
                continue
            for event in events:
                yield event
            if self._failed:
                self._closing = True
                await self._ws.close()
                return
        if not self._closing:
            yield self._closed_error()

    async def _next_message(self) -> str | bytes | None:
        """The next server event, or None once it is time to warn that the session will end."""
        if self._warn_at is None:
            return await self._ws.recv()
        delay = self._warn_at - time.monotonic()
        if delay > 0:
            try:
                async with asyncio.timeout(delay):
                    return await self._ws.recv()  # cancelling recv() loses nothing (websockets docs)
            except TimeoutError:
                pass
        self._warn_at = None
        return None

    async def _on_event(self, event: dict[str, Any]) -> list[ProviderEvent]:
        match event.get("type"):
            case "response.created":
                self._response_active, self._response_requested = True, False
            case "response.output_item.added" if event["item"].get("type") == "function_call":
                self._calls[event["item"]["call_id"]] = event["item"].get("name", "")
                self._unanswered.add(event["item"]["call_id"])
            case "response.output_audio.delta":
                return self._audio(event["item_id"], base64.b64decode(event["delta"]))
            case "response.output_audio_transcript.delta":
                return [TranscriptDelta("tutor", event["delta"])]
            case "response.output_audio_transcript.done":
                return [TranscriptFinal("tutor", event["transcript"])]
            case "input_audio_buffer.speech_started":
                events = self._speech_started()
                await self._give_frame()
                return events
            case "input_audio_buffer.speech_stopped" | "input_audio_buffer.committed" if not self._app_turns:
                self._student_speaking = False
            case "conversation.item.input_audio_transcription.delta":
                return [TranscriptDelta("student", event["delta"])]
            case "conversation.item.input_audio_transcription.completed":
                return [TranscriptFinal("student", event["transcript"]), *self._transcription_usage(event)]
            case "conversation.item.input_audio_transcription.failed":
                log.info("OpenAI could not transcribe the student: %s", (event.get("error") or {}).get("message"))
                return [TranscriptFinal("student", "")]  # closes the turn; its audio still counts
            case "response.function_call_arguments.done":
                return await self._tool_call(event)
            case "response.done":
                return await self._response_done(event["response"])
            case "error":
                return self._error(event.get("error") or {})
        return []

    def _transcription_usage(self, event: dict[str, Any]) -> list[ProviderEvent]:
        """The student's transcript is billed apart, by the transcription model (reference §5)."""
        tokens = transcription_usage(event.get("usage"))
        if tokens is None:
            return []
        return [Usage(tokens, model=self._config.transcription_model, purpose="transcription")]

    def _audio(self, item_id: str, pcm: bytes) -> list[ProviderEvent]:
        if item_id == self._muted_item:
            return []
        item = self._item
        if item is None or item.item_id != item_id:
            item = self._item = _ItemAudio(item_id, started_at=time.monotonic())
        item.received_ms += len(pcm) / BYTES_PER_MS
        return [AudioOut(pcm)]

    def _speech_started(self) -> list[ProviderEvent]:
        """A barge-in only if the tutor may still be heard: a response is running, or the audio of the
        last item has not had the time to play out (an estimate, used for this and never for truncation)."""
        events: list[ProviderEvent] = []
        item = self._item
        playing = item is not None and time.monotonic() < item.started_at + item.received_ms / 1000 + PLAYBACK_SLACK
        if self._response_active or playing:
            self._interrupted = item
            self._muted_item = item.item_id if item else self._muted_item
            events.append(Interrupted())
        self._item = None
        self._student_speaking = True
        events.append(SpeechStarted())
        return events

    async def _tool_call(self, event: dict[str, Any]) -> list[ProviderEvent]:
        call_id = event["call_id"]
        name = event.get("name") or self._calls.get(call_id, "")
        try:
            arguments = json.loads(event.get("arguments") or "{}")
            if not isinstance(arguments, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:  # answered here, so the model can try again; nothing reaches the runner
            log.warning("OpenAI called %s with bad arguments: %s", name, exc)
            await self.send_tool_result(call_id, name, {"error": f"The arguments must be a JSON object ({exc})."})
            return []
        return [ToolCall(call_id=call_id, name=name, arguments=arguments)]

    async def _response_done(self, response: dict[str, Any]) -> list[ProviderEvent]:
        self._response_active = False
        events: list[ProviderEvent] = []
        if any(item.get("type") == "message" for item in response.get("output") or ()):
            events.append(TurnComplete())
        if response.get("usage"):
            events.append(Usage(token_usage(response["usage"])))
        if response.get("status") == "failed":
            error = (response.get("status_details") or {}).get("error") or {}
            if error.get("code") in FATAL_ERRORS:
                self._failed = True
                return [*events, ProviderError(error["code"], error.get("message") or "", retryable=False)]
            log.warning("OpenAI response failed: %s", error or response.get("status_details"))
        if self._response_wanted and not self._unanswered:
            await self._request_response()
        return events

    def _error(self, error: dict[str, Any]) -> list[ProviderEvent]:
        code, message = error.get("code") or "", error.get("message") or "unknown error"
        about = self._sent.get(error.get("event_id") or "", "an event")
        if about == "response.create":
            self._response_requested = False
            if code == "conversation_already_has_active_response":
                # Lost a race (with turn detection, say): what it answers joined the conversation after
                # the running response began, so ask again when that one is done (reference §6).
                self._response_wanted = True
        if code in BENIGN_ERRORS:
            log.info("OpenAI Realtime (benign) %s on %s: %s", code, about, message)
            return []
        if code in FATAL_ERRORS:
            self._failed = True
            return [ProviderError(code, message, retryable=False)]
        # session_expired is followed by the close, which ends the connection; anything else refers to
        # one event of ours (a truncate, an image) and the conversation goes on without it.
        log.warning("OpenAI Realtime error %s on %s: %s", code, about, message)
        return []

    def _closed_error(self) -> ProviderError:
        code, reason = self._ws.close_code, self._ws.close_reason or ""
        if code in (1000, 1001):  # includes "Your session hit the maximum duration of 60 minutes."
            return ProviderError("session_expired", reason or "OpenAI ended the Realtime session.", retryable=True)
        if code is not None and (code == 1008 or 4000 <= code < 5000):
            return ProviderError(
                "rejected", f"OpenAI closed the connection ({code} {reason}).".strip(), retryable=False
            )
        return ProviderError("connection_lost", f"The connection to OpenAI dropped ({code} {reason}).", retryable=True)


def image_content(data: bytes, mime: str) -> dict[str, str]:
    """A picture or a frame as a user message's content: a data URL, as the service takes it."""
    return {"type": "input_image", "image_url": f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"}


def _setup_error(error: dict[str, Any], update_id: str) -> ProviderConnectError:
    """The service refused the session: a fault of this code or its settings, which a retry cannot fix
    (a server error aside)."""
    code = error.get("code") or "rejected"
    message = error.get("message") or "OpenAI refused the session configuration."
    if error.get("event_id") == update_id and error.get("param"):
        message = f"{message} ({error['param']})"
    return ProviderConnectError(
        code, f"OpenAI refused the session: {message}", retryable=error.get("type") == "server_error"
    )
