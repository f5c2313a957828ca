"""A local stand-in for the OpenAI Realtime service (GA protocol), strict where the real one is strict.

It serves `/v1/realtime?model=…` over WebSocket (TLS optional) and follows
shared/reference/openai-realtime.md §8: Bearer (or subprotocol) auth else HTTP 401, or Azure's `api-key`
header (openai_auth.py); the beta header
answered with `beta_api_shape_disabled` and close 4000; `session.created` first; `session.update`
checked (openai_realtime_schema.py), deep-merged and echoed whole; errors as `error` events that echo
the client's `event_id` and never close the socket; server VAD on loudness; the §3 event order for a
spoken reply and a function call; one active response at a time; barge-in and cancel; truncation
checked against the audio actually sent, cutting the transcript too; asynchronous input transcription
only when configured; usage on `response.done`; a configurable maximum duration closed with 1001.

What the model says is scripted: `replies` (in order; a default reply when empty) and `transcripts`
(what the student is heard to say; None makes that transcription fail). Tutor speech is a tone at
24 kHz. Every handshake and every event in both directions is recorded for assertions.
"""

import asyncio
import base64
import binascii
import contextlib
import json
import math
import secrets
import ssl
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from .energy_vad import EnergyVad
from .model_lists import openai_listing
from .openai_auth import Auth, refusal
from .openai_realtime_schema import (
    AUDIO_RATE,
    RealtimeError,
    check_item,
    check_response,
    check_session,
    default_session,
    merge,
)

BYTES_PER_MS = AUDIO_RATE * 2 // 1000
BETA_MESSAGE = "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API."
CLIENT_EVENTS = (
    "session.update",
    "input_audio_buffer.append",
    "input_audio_buffer.commit",
    "input_audio_buffer.clear",
    "conversation.item.create",
    "conversation.item.retrieve",
    "conversation.item.delete",
    "conversation.item.truncate",
    "response.create",
    "response.cancel",
)
IMAGE_TOKENS = 255
# openai 3.63.0's Realtime model list (types/realtime/realtime_session_create_request.py), less what has shut down:
# the gpt-4o realtime previews are gone; gpt-realtime and gpt-realtime-mini go on 2027-01-20 (then pass them in
# `shut_down`). A model the service does not offer opens a session all the same and fails every response with
# `model_not_found`, as users of the service report (openai/openai-realtime-console#561).
REALTIME_MODELS = frozenset({
    "gpt-realtime", "gpt-realtime-1.5", "gpt-realtime-2", "gpt-realtime-2.1", "gpt-realtime-2.1-mini",
    "gpt-realtime-2025-08-28", "gpt-realtime-mini", "gpt-realtime-mini-2025-10-06", "gpt-realtime-mini-2025-12-15",
})  # fmt: skip
SHUT_DOWN_REALTIME_MODELS = frozenset({
    "gpt-4o-realtime-preview", "gpt-4o-realtime-preview-2024-10-01", "gpt-4o-realtime-preview-2024-12-17",
    "gpt-4o-realtime-preview-2025-06-03", "gpt-4o-mini-realtime-preview", "gpt-4o-mini-realtime-preview-2024-12-17",
})  # fmt: skip
# Transcribers billed by the duration of the audio (their model pages: "priced by audio duration"): their usage
# is `{"type": "duration", "seconds"}`, the others' tokens.
DURATION_BILLED = frozenset({"whisper-1", "gpt-transcribe", "gpt-live-transcribe", "gpt-realtime-whisper"})
SEMANTIC_SILENCE_MS = {"low": 1000, "medium": 500, "auto": 500, "high": 250}  # eagerness, approximated


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def tone(ms: float, *, rate: int = AUDIO_RATE, hz: float = 220.0, level: float = 0.2) -> bytes:
    """Stand-in speech: a sine, loud enough for any VAD."""
    t = np.arange(int(rate * ms / 1000)) / rate
    return (np.sin(2 * np.pi * hz * t) * level * 32767).astype("<i2").tobytes()


@dataclass(frozen=True)
class Reply:
    """One response of the fake model: `text` spoken as a tone of `audio_ms`, then function calls."""

    text: str = "Très bien ! Et ensuite ?"
    audio_ms: int = 600
    calls: tuple[tuple[str, str], ...] = ()  # (function name, arguments as the model wrote them)
    hold_at_ms: int | None = None  # stop streaming after this much audio until release() or a cancel


@dataclass(frozen=True)
class Handshake:
    path: str
    headers: dict[str, str]  # names lower-cased
    status: int  # 101 when the upgrade was accepted


@dataclass
class Recording:
    """One accepted connection as tests see it: the handshake, every event both ways, how it closed."""

    handshake: Handshake
    received: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    closed: bool = False
    close_code: int | None = None
    close_reason: str = ""

    def sent_of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.sent if e["type"] == kind]

    def received_of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.received if e.get("type") == kind]

    def errors(self) -> list[dict[str, Any]]:
        return [e["error"] for e in self.sent_of("error")]


class FakeRealtimeServer:
    def __init__(
        self,
        *,
        api_key: str = "sk-test",
        auth: Auth = "bearer",
        ssl_context: ssl.SSLContext | None = None,
        chunk_ms: int = 100,
        session_seconds: float = 3600.0,
        expiry_error: bool = False,
        transcription_delay: float = 0.0,
        think_seconds: float = 0.0,
        record_audio: bool = True,
        shut_down: frozenset[str] = frozenset(),
    ) -> None:
        self.api_key = api_key
        self.auth = auth  # "api-key": an Azure resource that takes its key as an `api-key` header, never Bearer
        self.ssl_context = ssl_context
        self.chunk_ms = chunk_ms
        self.session_seconds = session_seconds  # read when a connection opens
        self.expiry_error = expiry_error  # older sessions sent error{session_expired} before the close
        self.transcription_delay = transcription_delay
        self.think_seconds = think_seconds  # how long the model takes before a response begins (the bench: 0.2)
        self.record_audio = record_audio  # benchmarks stream minutes of audio: keep appends out of memory
        self.shut_down = SHUT_DOWN_REALTIME_MODELS | shut_down  # models the service no longer offers
        self.replies: deque[Reply] = deque()
        self.transcripts: deque[str | None] = deque()
        self.handshakes: list[Handshake] = []
        self.recordings: list[Recording] = []
        self.failures: list[BaseException] = []
        self._conversations: dict[int, _Conversation] = {}
        self._accepted: dict[ServerConnection, Handshake] = {}
        self._progress = asyncio.Event()
        self._server: Server | None = None
        self.port = 0

    async def __aenter__(self) -> "FakeRealtimeServer":
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> None:
        self._server = await serve(
            self._serve,
            "127.0.0.1",
            0,
            ssl=self.ssl_context,
            process_request=self._check_handshake,
            select_subprotocol=lambda _conn, offered: "realtime" if "realtime" in offered else None,
            max_size=None,
            compression=None,
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stops serving; a failure inside the fake itself is raised here so no test passes over it."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        if self.failures:
            raise AssertionError("the fake Realtime service failed") from self.failures[0]

    @property
    def base_url(self) -> str:
        return f"{'https' if self.ssl_context else 'http'}://127.0.0.1:{self.port}/v1"

    async def wait_for(self, predicate: Callable[[], bool], within: float = 10.0) -> None:
        """Wait until `predicate()` holds after some event; the timeout only guards against a hang."""
        async with asyncio.timeout(within):
            while not predicate():
                await self._progress.wait()

    def release(self) -> None:
        """Let held replies (`Reply.hold_at_ms`) stream on."""
        for conversation in self._conversations.values():
            if conversation.active is not None:
                conversation.active.release()

    async def expire(self, recording: Recording) -> None:
        """End that session now, exactly as the maximum duration does."""
        await self._conversations[id(recording)].expire()

    async def inject(self, recording: Recording, kind: str, **fields: Any) -> None:
        """Send an event no script produces, e.g. a malformed one as a compatible server might."""
        await self._conversations[id(recording)].send(kind, **fields)

    async def close(self, recording: Recording, code: int, reason: str = "") -> None:
        """Close that connection from the service's side, e.g. 1011 for an internal error."""
        await self._conversations[id(recording)].ws.close(code, reason)

    def offers(self, model: str) -> bool:
        return model in REALTIME_MODELS and model not in self.shut_down

    def next_reply(self) -> Reply:
        return self.replies.popleft() if self.replies else Reply()

    def next_transcript(self) -> str | None:
        return self.transcripts.popleft() if self.transcripts else "Je voudrais un café."

    def note(self) -> None:
        """Something happened: wake whoever waits in wait_for()."""
        self._progress.set()
        self._progress = asyncio.Event()

    # ---- handshake ---------------------------------------------------------------------------

    def _check_handshake(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        if url.path == "/v1/models" and "upgrade" not in request.headers.get("Connection", "").lower():
            return self._listing(connection, request)  # the REST list the real host serves beside the socket
        model = parse_qs(url.query).get("model", [""])[0]
        if url.path != "/v1/realtime":
            status, error = 404, _http_error(f"Invalid URL (GET {url.path})", None)
        elif not model:
            status, error = 400, _http_error("Missing required parameter: 'model'.", "missing_required_parameter")
        else:
            error = refusal(request.headers, auth=self.auth, api_key=self.api_key, offered_key=_offered_key(request))
            status = 401 if error is not None else 101
        handshake = Handshake(request.path, {k.lower(): v for k, v in request.headers.raw_items()}, status)
        self.handshakes.append(handshake)
        self.note()
        if error is None:
            self._accepted[connection] = handshake
            return None
        response = connection.respond(status, json.dumps(error) + "\n")
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = "application/json"
        return response

    def _listing(self, connection: ServerConnection, request: Request) -> Response:
        error = refusal(request.headers, auth=self.auth, api_key=self.api_key, offered_key=None)
        status, payload = (401, error) if error is not None else (200, openai_listing(shut_down=self.shut_down))
        response = connection.respond(status, json.dumps(payload))
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = "application/json"
        return response

    async def _serve(self, ws: ServerConnection) -> None:
        handshake = self._accepted.pop(ws)
        recording = Recording(handshake)
        self.recordings.append(recording)
        model = parse_qs(urlsplit(handshake.path).query)["model"][0]
        conversation = _Conversation(self, ws, recording, model)
        self._conversations[id(recording)] = conversation
        try:
            await conversation.run()
        except Exception as exc:
            self.failures.append(exc)
            raise
        finally:
            recording.closed = True
            recording.close_code, recording.close_reason = ws.close_code, ws.close_reason or ""
            self.note()


def _offered_key(request: Request) -> str | None:
    """A browser cannot set headers: it offers the key as a subprotocol (OpenAI only, not Azure)."""
    for offered in request.headers.get_all("Sec-WebSocket-Protocol"):
        for protocol in offered.split(","):
            if protocol.strip().startswith("openai-insecure-api-key."):
                return protocol.strip().removeprefix("openai-insecure-api-key.")
    return None


def _http_error(message: str, code: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}


@dataclass
class _Response:
    id: str
    reply: Reply
    in_conversation: bool
    cancel_reason: str | None = None
    released: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None

    def cancel(self, reason: str) -> None:
        self.cancel_reason = self.cancel_reason or reason
        self.wake.set()

    def release(self) -> None:
        self.released = True
        self.wake.set()


class _Conversation:
    """One connection: its session, the conversation's items, the input buffer, VAD and responses."""

    def __init__(self, server: FakeRealtimeServer, ws: ServerConnection, recording: Recording, model: str) -> None:
        self.server, self.ws, self.recording = server, ws, recording
        self.seconds = server.session_seconds
        self.session = default_session(
            session_id=new_id("sess"), model=model, expires_at=int(time.time() + self.seconds)
        )
        self.conversation_id = new_id("conv")
        self.items: dict[str, dict[str, Any]] = {}
        self.audio_ms: dict[str, float] = {}  # per item: input audio, or output audio actually sent
        self.buffer = bytearray()
        self.buffer_start_ms = 0.0  # where the buffer starts on the input audio timeline
        self.appended_ms = 0.0
        self.vad: EnergyVad | None = None
        self.speech_item_id: str | None = None
        self.speech_from_ms = 0.0
        self.active: _Response | None = None
        self.previous_input_tokens = 0
        self.tasks: set[asyncio.Task] = set()
        self._configure_vad()

    async def run(self) -> None:
        if "realtime=v1" in self.recording.handshake.headers.get("openai-beta", ""):
            await self.error(RealtimeError("beta_api_shape_disabled", BETA_MESSAGE), None)
            await self.ws.close(4000, "beta_api_shape_disabled")
            return
        await self.send("session.created", session=self.session)
        self.spawn(self._expire_later())
        try:
            async for raw in self.ws:
                await self.receive(raw)
        except ConnectionClosed:
            pass
        finally:
            for task in self.tasks:
                task.cancel()

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.server.failures.append(task.exception())

    async def send(self, kind: str, **fields: Any) -> None:
        payload = json.dumps({"type": kind, "event_id": new_id("event"), **fields})
        await self.ws.send(payload)
        self.recording.sent.append(json.loads(payload))  # a copy: items change after they are sent
        self.server.note()

    async def error(self, error: RealtimeError, event_id: str | None) -> None:
        body = {"type": "invalid_request_error", "code": error.code, "message": error.message}
        await self.send("error", error={**body, "param": error.param, "event_id": event_id})

    async def receive(self, raw: str | bytes) -> None:
        try:
            event = json.loads(raw)
            if not isinstance(event, dict):
                raise ValueError
        except ValueError:
            await self.error(RealtimeError("invalid_json", "The event is not a JSON object."), None)
            return
        if event.get("type") != "input_audio_buffer.append" or self.server.record_audio:
            self.recording.received.append(event)
            self.server.note()
        try:
            await self.dispatch(event)
        except RealtimeError as error:
            await self.error(error, event.get("event_id"))

    async def dispatch(self, event: dict[str, Any]) -> None:
        match event.get("type"):
            case "session.update":
                check_session(event.get("session"))
                self.session = merge(self.session, event["session"])
                self._configure_vad()
                await self.send("session.updated", session=self.session)
            case "input_audio_buffer.append":
                await self.append(event.get("audio"))
            case "input_audio_buffer.commit":
                await self.commit()
            case "input_audio_buffer.clear":
                self.buffer.clear()
                self.buffer_start_ms = self.appended_ms
                if self.vad is not None:
                    self.vad.reset()
                await self.send("input_audio_buffer.cleared")
            case "conversation.item.create":
                await self.create_item(event.get("item"), event.get("previous_item_id"))
            case "conversation.item.retrieve":
                await self.send("conversation.item.retrieved", item=self.item(event.get("item_id")))
            case "conversation.item.delete":
                del self.items[self.item(event.get("item_id"))["id"]]
                await self.send("conversation.item.deleted", item_id=event["item_id"])
            case "conversation.item.truncate":
                await self.truncate(event.get("item_id"), event.get("content_index"), event.get("audio_end_ms"))
            case "response.create":
                await self.create_response(event.get("response", {}))
            case "response.cancel":
                self.cancel_response(event.get("response_id"))
            case kind:
                supported = ", ".join(f"'{name}'" for name in CLIENT_EVENTS)
                raise RealtimeError(
                    "invalid_value", f"Invalid value: {kind!r}. Supported values are: {supported}.", "type"
                )

    # ---- input audio and VAD -----------------------------------------------------------------

    def _configure_vad(self) -> None:
        detection = self.session["audio"]["input"]["turn_detection"]
        if detection is None:
            self.vad = None
            return
        silence = detection.get("silence_duration_ms", 500)
        if detection["type"] == "semantic_vad":
            silence = SEMANTIC_SILENCE_MS[detection.get("eagerness", "auto")]
        vad = EnergyVad(
            threshold=detection.get("threshold", 0.5),
            prefix_padding_ms=detection.get("prefix_padding_ms", 300),
            silence_duration_ms=silence,
        )
        vad.position_ms = self.vad.position_ms if self.vad else int(self.appended_ms)
        self.vad = vad

    @property
    def detection(self) -> dict[str, Any]:
        return self.session["audio"]["input"]["turn_detection"] or {}

    async def append(self, audio: Any) -> None:
        if not isinstance(audio, str):
            raise RealtimeError("invalid_type", "Invalid type for 'audio': expected a string.", "audio")
        try:
            pcm = base64.b64decode(audio, validate=True)
        except binascii.Error:
            raise RealtimeError("invalid_value", "Invalid 'audio'. Expected base64-encoded audio.", "audio")
        self.buffer += pcm
        self.appended_ms += len(pcm) / BYTES_PER_MS
        if self.vad is None:
            return
        for event in self.vad.feed(pcm):
            if event.kind == "started":
                await self.speech_started(event.at_ms)
            else:
                await self.speech_stopped(event.at_ms)
        if not self.vad.speaking:  # idle: keep only what a later prefix padding needs
            keep = int(self.vad.prefix_padding_ms + 20) * BYTES_PER_MS
            if len(self.buffer) > keep:
                dropped = len(self.buffer) - keep
                del self.buffer[:dropped]
                self.buffer_start_ms += dropped / BYTES_PER_MS

    async def speech_started(self, at_ms: int) -> None:
        self.speech_item_id, self.speech_from_ms = new_id("item"), at_ms
        await self.send("input_audio_buffer.speech_started", audio_start_ms=at_ms, item_id=self.speech_item_id)
        active = self.active
        if active is not None and self.detection.get("interrupt_response", True):
            active.cancel("turn_detected")

    async def speech_stopped(self, at_ms: int) -> None:
        item_id = self.speech_item_id or new_id("item")
        await self.send("input_audio_buffer.speech_stopped", audio_end_ms=at_ms, item_id=item_id)
        start = int(max(0.0, self.speech_from_ms - self.buffer_start_ms)) * BYTES_PER_MS
        end = int(max(0.0, at_ms - self.buffer_start_ms)) * BYTES_PER_MS
        audio = bytes(self.buffer[start:end])
        del self.buffer[:end]
        self.buffer_start_ms += end / BYTES_PER_MS
        await self.commit_audio(audio, item_id)
        if not self.detection.get("create_response", True):
            return
        if self.active is not None and self.active.cancel_reason and self.active.task is not None:
            await self.active.task  # a barged-in response finishes cancelling first
        if self.active is None:
            self.start_response(in_conversation=True)

    async def commit(self) -> None:
        buffered_ms = len(self.buffer) / BYTES_PER_MS
        if buffered_ms < 100:
            raise RealtimeError(
                "input_audio_buffer_commit_empty",
                "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, "
                f"but buffer only has {buffered_ms:.2f}ms of audio.",
            )
        audio, item_id = bytes(self.buffer), self.speech_item_id or new_id("item")
        self.buffer.clear()
        self.buffer_start_ms = self.appended_ms
        if self.vad is not None:
            self.vad.reset()
        await self.commit_audio(audio, item_id)

    async def commit_audio(self, audio: bytes, item_id: str) -> None:
        previous = self.last_item_id()
        self.speech_item_id = None
        item = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "status": "completed",
            "role": "user",
            "content": [{"type": "input_audio", "transcript": None}],
        }
        self.items[item_id] = item
        self.audio_ms[item_id] = len(audio) / BYTES_PER_MS
        await self.send("input_audio_buffer.committed", previous_item_id=previous, item_id=item_id)
        await self.send("conversation.item.added", previous_item_id=previous, item=item)
        await self.send("conversation.item.done", previous_item_id=previous, item=item)
        if self.session["audio"]["input"]["transcription"] is not None:
            self.spawn(self.transcribe(item))

    async def transcribe(self, item: dict[str, Any]) -> None:
        """Arrives on its own time, possibly after the reply to it (reference §3)."""
        await asyncio.sleep(self.server.transcription_delay)
        text, where = self.server.next_transcript(), {"item_id": item["id"], "content_index": 0}
        if text is None:
            error = {"type": "transcription_error", "code": "audio_unintelligible", "message": "Audio unintelligible."}
            await self.send("conversation.item.input_audio_transcription.failed", **where, error=error)
            return
        if self.session["audio"]["input"]["transcription"]["model"] != "whisper-1":  # whisper-1 sends no deltas
            words = text.split(" ")
            for index, word in enumerate(words):
                delta = word if index == 0 else " " + word
                await self.send("conversation.item.input_audio_transcription.delta", **where, delta=delta)
        item["content"][0]["transcript"] = text
        await self.send(
            "conversation.item.input_audio_transcription.completed",
            **where,
            transcript=text,
            usage=self.transcription_usage(item, text),
        )

    def transcription_usage(self, item: dict[str, Any], text: str) -> dict[str, Any]:
        """As the service bills it: tokens for the gpt-4o transcribers, seconds of audio for the others."""
        if self.session["audio"]["input"]["transcription"]["model"] in DURATION_BILLED:
            return {"type": "duration", "seconds": round(self.audio_ms[item["id"]] / 1000, 3)}
        audio_tokens = math.ceil(self.audio_ms[item["id"]] / 100)
        text_tokens = math.ceil(len(text) / 4)
        return {
            "type": "tokens",
            "input_tokens": audio_tokens,
            "output_tokens": text_tokens,
            "total_tokens": audio_tokens + text_tokens,
            "input_token_details": {"text_tokens": 0, "audio_tokens": audio_tokens},
        }

    # ---- items -------------------------------------------------------------------------------

    def last_item_id(self) -> str | None:
        return next(reversed(self.items), None)

    def item(self, item_id: Any) -> dict[str, Any]:
        if item_id not in self.items:
            raise RealtimeError("invalid_value", f"Item with item_id not found: {item_id}", "item_id")
        return self.items[item_id]

    async def create_item(self, item: Any, previous_item_id: Any) -> None:
        check_item(item)
        if item.get("id") in self.items:
            raise RealtimeError("invalid_value", f"Item with id {item['id']} already exists.", "item.id")
        calls = {known.get("call_id") for known in self.items.values() if known["type"] == "function_call"}
        if item["type"] == "function_call_output" and item["call_id"] not in calls:
            raise RealtimeError(
                "invalid_value",
                f"No tool call found for function call output with call_id {item['call_id']}.",
                "item.call_id",
            )
        if previous_item_id not in (None, "root") and previous_item_id not in self.items:
            raise RealtimeError("invalid_value", f"Previous item not found: {previous_item_id}", "previous_item_id")
        stored = {"object": "realtime.item", "status": "completed", **item, "id": item.get("id") or new_id("item")}
        for part in stored.get("content", []):
            if part["type"] == "input_audio":
                self.audio_ms[stored["id"]] = len(base64.b64decode(part["audio"])) / BYTES_PER_MS
        previous = self.last_item_id() if previous_item_id is None else previous_item_id
        ordered = list(self.items.items())
        position = len(ordered) if previous_item_id is None else 0
        if previous_item_id not in (None, "root"):
            position = [key for key, _ in ordered].index(previous_item_id) + 1
        ordered.insert(position, (stored["id"], stored))
        self.items = dict(ordered)
        previous = None if previous == "root" else previous
        await self.send("conversation.item.added", previous_item_id=previous, item=stored)
        await self.send("conversation.item.done", previous_item_id=previous, item=stored)

    async def truncate(self, item_id: Any, content_index: Any, audio_end_ms: Any) -> None:
        item = self.item(item_id)
        if not isinstance(audio_end_ms, int) or isinstance(audio_end_ms, bool) or audio_end_ms < 0:
            raise RealtimeError("invalid_type", "Invalid 'audio_end_ms': expected an integer.", "audio_end_ms")
        spoken = [part for part in item.get("content", []) if part["type"] == "output_audio"]
        if item.get("role") != "assistant" or not spoken or audio_end_ms == 0:
            raise RealtimeError("unsupported_content_type", "Only model output audio messages can be truncated", None)
        if content_index != 0:
            raise RealtimeError("invalid_value", "Invalid 'content_index': set it to 0.", "content_index")
        sent = self.audio_ms[item_id]
        if audio_end_ms > sent:
            raise RealtimeError(
                "invalid_value", f"Audio content of {sent:.0f}ms is already shorter than {audio_end_ms}ms", None
            )
        transcript = spoken[0]["transcript"] or ""
        keep = round(len(transcript) * audio_end_ms / sent) if sent else 0
        spoken[0]["transcript"] = transcript if keep >= len(transcript) else transcript[:keep].rsplit(" ", 1)[0]
        self.audio_ms[item_id] = audio_end_ms
        await self.send("conversation.item.truncated", item_id=item_id, content_index=0, audio_end_ms=audio_end_ms)

    # ---- responses ---------------------------------------------------------------------------

    async def create_response(self, params: Any) -> None:
        check_response(params)
        in_conversation = params.get("conversation", "auto") == "auto"
        if in_conversation and self.active is not None:
            raise RealtimeError(
                "conversation_already_has_active_response",
                f"Conversation already has an active response in progress: {self.active.id}. "
                "Wait until the response is finished before creating a new one.",
            )
        self.start_response(in_conversation=in_conversation)

    def start_response(self, *, in_conversation: bool) -> None:
        response = _Response(new_id("resp"), self.server.next_reply(), in_conversation)
        if in_conversation:
            self.active = response
        response.task = self.spawn(self.respond(response))

    def cancel_response(self, response_id: Any) -> None:
        active = self.active
        if active is None or active.cancel_reason or response_id not in (None, active.id):
            raise RealtimeError("response_cancel_not_active", "Cancellation failed: no active response found")
        active.cancel("client_cancelled")

    async def respond(self, response: _Response) -> None:
        with contextlib.suppress(ConnectionClosed):
            if self.server.think_seconds:
                await asyncio.sleep(self.server.think_seconds)
            await self.send("response.created", response=self.response_object(response, "in_progress", []))
            if not self.server.offers(self.session["model"]):
                await self.refuse(response)
                return
            await self.send("rate_limits.updated", rate_limits=self.rate_limits())
            output: list[dict[str, Any]] = []
            if response.reply.text:
                output.append(await self.speak(response, len(output)))
            for name, arguments in response.reply.calls:
                if response.cancel_reason:
                    break
                output.append(await self.call(response, len(output), name, arguments))
            status = "cancelled" if response.cancel_reason else "completed"
            details = {"type": "cancelled", "reason": response.cancel_reason} if response.cancel_reason else None
            usage = self.usage(output)
            if self.active is response:
                self.active = None
            await self.send(
                "response.done", response=self.response_object(response, status, output, usage=usage, details=details)
            )

    async def refuse(self, response: _Response) -> None:
        """The model is not offered: the response fails at once, nothing billed."""
        if self.active is response:
            self.active = None
        model = self.session["model"]
        error = {
            "type": "invalid_request_error",
            "code": "model_not_found",
            "message": f"The model `{model}` does not exist or you do not have access to it.",
        }
        details = {"type": "failed", "error": error}
        await self.send("response.done", response=self.response_object(response, "failed", [], details=details))

    async def speak(self, response: _Response, output_index: int) -> dict[str, Any]:
        reply, item_id = response.reply, new_id("item")
        item = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "status": "in_progress",
            "role": "assistant",
            "content": [],
        }
        previous = await self.add_output(response, output_index, item)
        self.audio_ms[item_id] = 0.0
        where = {"response_id": response.id, "item_id": item_id, "output_index": output_index, "content_index": 0}
        await self.send("response.content_part.added", **where, part={"type": "audio", "transcript": ""})
        audio = tone(reply.audio_ms)
        size = self.server.chunk_ms * BYTES_PER_MS
        pieces = [audio[start : start + size] for start in range(0, len(audio), size)]
        words, spoken = reply.text.split(" "), ""
        for index, piece in enumerate(pieces):
            if reply.hold_at_ms is not None and self.audio_ms[item_id] >= reply.hold_at_ms and not response.released:
                await response.wake.wait()
            if response.cancel_reason:
                break
            said = words[index * len(words) // len(pieces) : (index + 1) * len(words) // len(pieces)]
            if said:
                delta = (" " if spoken else "") + " ".join(said)
                spoken += delta
                await self.send("response.output_audio_transcript.delta", **where, delta=delta)
            await self.send("response.output_audio.delta", **where, delta=base64.b64encode(piece).decode())
            self.audio_ms[item_id] += len(piece) / BYTES_PER_MS
            await asyncio.sleep(0)  # let the student's audio (and a barge-in) in between chunks
        item["status"] = "incomplete" if response.cancel_reason else "completed"
        item["content"] = [{"type": "output_audio", "transcript": spoken}]
        await self.send("response.output_audio.done", **where)
        await self.send("response.output_audio_transcript.done", **where, transcript=spoken)
        await self.send("response.content_part.done", **where, part={"type": "audio", "transcript": spoken})
        await self.finish_output(response, output_index, item, previous)
        return item

    async def call(self, response: _Response, output_index: int, name: str, arguments: str) -> dict[str, Any]:
        item_id, call_id = new_id("item"), new_id("call")
        item = {
            "id": item_id,
            "object": "realtime.item",
            "type": "function_call",
            "status": "in_progress",
            "name": name,
            "call_id": call_id,
            "arguments": "",
        }
        previous = await self.add_output(response, output_index, item)
        where = {"response_id": response.id, "item_id": item_id, "output_index": output_index, "call_id": call_id}
        third = max(1, len(arguments) // 3)
        for start in range(0, len(arguments), third):
            await self.send("response.function_call_arguments.delta", **where, delta=arguments[start : start + third])
            await asyncio.sleep(0)
        item["arguments"], item["status"] = arguments, "completed"
        await self.send("response.function_call_arguments.done", **where, arguments=arguments)
        await self.finish_output(response, output_index, item, previous)
        return item

    async def add_output(self, response: _Response, output_index: int, item: dict[str, Any]) -> str | None:
        previous = self.last_item_id()
        await self.send("response.output_item.added", response_id=response.id, output_index=output_index, item=item)
        if response.in_conversation:
            self.items[item["id"]] = item
            await self.send("conversation.item.added", previous_item_id=previous, item=item)
        return previous

    async def finish_output(
        self, response: _Response, output_index: int, item: dict[str, Any], previous: str | None
    ) -> None:
        await self.send("response.output_item.done", response_id=response.id, output_index=output_index, item=item)
        if response.in_conversation:
            await self.send("conversation.item.done", previous_item_id=previous, item=item)

    def response_object(
        self,
        response: _Response,
        status: str,
        output: list[dict[str, Any]],
        *,
        usage: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        out = self.session["audio"]["output"]
        return {
            "object": "realtime.response",
            "id": response.id,
            "status": status,
            "status_details": details,
            "output": output,
            "conversation_id": self.conversation_id if response.in_conversation else None,
            "output_modalities": self.session["output_modalities"],
            "max_output_tokens": self.session["max_output_tokens"],
            "audio": {"output": {"format": out["format"], "voice": out["voice"]}},
            "usage": usage,
            "metadata": None,
        }

    def usage(self, output: list[dict[str, Any]]) -> dict[str, Any]:
        """Docs' rates: user audio 10 tokens/s, tutor audio 20/s, text ~4 characters a token. The whole
        context is billed again for each response; what the previous response read counts as cached."""
        produced = {item["id"] for item in output}
        text_in = _text_tokens(self.session["instructions"]) + _text_tokens(json.dumps(self.session["tools"]))
        audio_in = image_in = 0
        for item_id, item in self.items.items():
            if item_id in produced:
                continue
            if item["type"] != "message":
                text_in += _text_tokens(item.get("arguments", "") + item.get("output", ""))
                continue
            for part in item["content"]:
                match part["type"]:
                    case "input_text" | "output_text":
                        text_in += _text_tokens(part["text"])
                    case "input_audio":
                        audio_in += math.ceil(self.audio_ms[item_id] / 100)
                    case "output_audio":
                        audio_in += math.ceil(self.audio_ms[item_id] / 50)
                    case "input_image":
                        image_in += IMAGE_TOKENS
        total_in = text_in + audio_in + image_in
        cached = min(self.previous_input_tokens, total_in)
        self.previous_input_tokens = total_in
        cached_text = min(cached, text_in)
        cached_audio = min(cached - cached_text, audio_in)
        audio_out = sum(math.ceil(self.audio_ms[item["id"]] / 50) for item in output if item["type"] == "message")
        text_out = sum(
            _text_tokens(item["content"][0]["transcript"] if item["type"] == "message" else item["arguments"])
            for item in output
        )
        return {
            "total_tokens": total_in + text_out + audio_out,
            "input_tokens": total_in,
            "output_tokens": text_out + audio_out,
            "input_token_details": {
                "text_tokens": text_in,
                "audio_tokens": audio_in,
                "image_tokens": image_in,
                "cached_tokens": cached,
                "cached_tokens_details": {
                    "text_tokens": cached_text,
                    "audio_tokens": cached_audio,
                    "image_tokens": cached - cached_text - cached_audio,
                },
            },
            "output_token_details": {"text_tokens": text_out, "audio_tokens": audio_out},
        }

    @staticmethod
    def rate_limits() -> list[dict[str, Any]]:
        return [
            {"name": "requests", "limit": 5000, "remaining": 4999, "reset_seconds": 0.012},
            {"name": "tokens", "limit": 800000, "remaining": 795000, "reset_seconds": 0.375},
        ]

    # ---- expiry ------------------------------------------------------------------------------

    async def _expire_later(self) -> None:
        await asyncio.sleep(self.seconds)
        await self.expire()

    async def expire(self) -> None:
        message = f"Your session hit the maximum duration of {self.seconds / 60:g} minutes."
        with contextlib.suppress(ConnectionClosed):
            if self.server.expiry_error:
                await self.error(RealtimeError("session_expired", message), None)
            await self.ws.close(1001, message)


def _text_tokens(text: str) -> int:
    return math.ceil(len(text) / 4)
