"""A fake Gemini Live service (BidiGenerateContent over TLS) that the real google-genai SDK can talk to.

It follows the wire reference (docs/providers/gemini.md): it checks the setup and every message and
refuses bad ones by closing with the service's codes (1007 bad payload, 1008 bad key or model, never an
`error` JSON); it hears speech by its energy, transcribes it from a script, answers with chunked 24 kHz
audio interleaved with transcription, then `generationComplete`, then `turnComplete` with
`usageMetadata`; it sends `interrupted` on barge-in, tool calls that wait for their response,
`sessionResumptionUpdate` after each turn, and `goAway` before its connection cap. A blocking function
call holds the answer until its response comes, whatever that response's scheduling (the service ignores
it there), and the model then speaks about the result; a NON_BLOCKING one lets the answer go on, and its
response is spoken about only if scheduled WHEN_IDLE or INTERRUPT, never if SILENT. It can be told to
fail, and it records everything it received so tests can assert on the wire.
"""

import asyncio
import base64
import binascii
import contextlib
import itertools
import json
import re
import time
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from tutor.audio import bytes_for_ms, duration_ms

from .gemini_live_setup import INVALID_ARGUMENT, MODELS, SHUT_DOWN, AcceptedSetup, Rejected, check_setup, get, only
from .model_lists import gemini_listing
from .sound import EnergyDetector, tone
from .tls import TestCertificate

LIST = re.compile(r"^/+(v1|v1beta|v1alpha)/models$")
PATH = re.compile(
    r"^/+ws/google\.ai\.generativelanguage\.(v1|v1beta|v1alpha)\.GenerativeService\.BidiGenerateContent(Constrained)?$"
)
AUDIO_IN_MIME = re.compile(r"^audio/pcm(;\s*rate=16000)?$")
# The picture types realtime video takes, by the first bytes of their files.
IMAGE_SIGNATURES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n", "image/webp": b"RIFF"}
BAD_KEY = "API key not valid. Please pass a valid API key."
REALTIME_FIELDS = {"audio", "video", "text", "audioStreamEnd", "activityStart", "activityEnd"}
RESPONSE_FIELDS = {"id", "name", "response", "scheduling", "willContinue"}
SCHEDULINGS = frozenset({"SCHEDULING_UNSPECIFIED", "SILENT", "WHEN_IDLE", "INTERRUPT"})
# What the model says when it goes on from a function's result (a blocking call's, or one scheduled to be
# spoken about): the very line SILENT scheduling exists to spare the student.
SPOKEN_RESULT = "C'est noté."
# What the extended-thinking model says while it reasons in the background, before its turnComplete IN_PROGRESS.
THINKING_ALOUD = "Voyons voir."


@dataclass(frozen=True)
class Exchange:
    """One scripted exchange: what the student says (or types), the tutor's answer, and a tool it calls first."""

    heard: str
    reply: str
    tool: tuple[str, dict[str, Any]] | None = None


DEFAULT_SCRIPT = (
    Exchange("Bonjour, je voudrais un café.", "Bien sûr ! Un café. Et avec ça ?"),
    Exchange("Un croissant, s'il vous plaît.", "Voilà votre croissant. Autre chose ?"),
    Exchange("L'addition, s'il vous plaît.", "Ça fait quatre euros, s'il vous plaît."),
)


@dataclass(frozen=True)
class FakeLiveOptions:
    api_key: str = "test-key"
    script: tuple[Exchange, ...] = DEFAULT_SCRIPT
    silence_ms: int = 500  # end of speech, unless the setup's silence_duration_ms says otherwise
    word_ms: int = 200  # student speech per transcribed word
    finished_flag: bool = True  # mark the last input transcription fragment `finished` (the service often does not)
    late_words: int = 0  # the last words of what the student said are transcribed only after the answer began
    reply_word_ms: int = 120  # tutor audio per word of its reply
    reply_chunk_ms: int = 40
    pace: float = 0.0  # wall seconds per second of tutor audio: 0 as fast as possible, 1 real time
    connection_seconds: float | None = None  # the connection cap: goAway before it, then 1011
    goaway_notice: float = 1.0  # goAway's timeLeft before the cap
    tool_timeout: float = 10.0
    tokens_per_second: int = 32  # audio tokens a second, in and out
    handle_delay: float = 0.0  # seconds between a turnComplete and the sessionResumptionUpdate that follows it
    handle_after_goaway: bool = True  # a new handle follows the goAway, as the service sends one
    thinking_seconds: float = 0.05  # how long the extended-thinking model reasons between its two turnCompletes
    think_seconds: float = 0.0  # how long the model takes before it answers (the end-to-end bench: 0.2)
    shut_down: frozenset[str] = frozenset()  # more models to refuse as the service refuses a shut-down one


# ---- failures the fake can be told to produce ---------------------------------------------------


@dataclass(frozen=True)
class CloseMidTurn:
    """Close after the first chunk of the next answer (1011 is the service's intermittent internal error)."""

    code: int = 1011
    reason: str = "Internal error encountered."


@dataclass(frozen=True)
class DropMidTurn:
    """Drop TCP after the first chunk of the next answer, with no close frame."""


@dataclass(frozen=True)
class GoAwayMidTurn:
    """Send goAway after the first chunk of the next answer, then close 1011 when the time is up."""

    time_left: float = 1.0


@dataclass(frozen=True)
class RefuseConnection:
    """Close the next connection right after its setup."""

    code: int = 1011
    reason: str = "The service is currently unavailable."


MidTurnFault = CloseMidTurn | DropMidTurn | GoAwayMidTurn


# ---- what the fake records ----------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    at: float  # time.monotonic() on arrival
    kind: str  # audio, image, text, audio_stream_end, activity_start, activity_end, tool_response, client_content,
    # context_update
    data: Any
    raw: str | bytes = field(repr=False)


@dataclass
class ConnectionRecord:
    path: str
    api_key: str | None
    setup: AcceptedSetup | None = None
    received: list[Received] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    close_code: int | None = None
    client_closed: bool = False  # the client sent the close frame first
    done: asyncio.Event = field(default_factory=asyncio.Event)
    opened_at: float = field(default_factory=time.time)  # wall-clock time, comparable with the database's
    handles: list[tuple[float, str]] = field(default_factory=list)  # (when, handle) of each issued, in order

    @property
    def billed(self) -> list[dict[str, Any]]:
        """The usageMetadata of every message sent with one: what the service bills."""
        return [message["usageMetadata"] for message in self.sent if "usageMetadata" in message]

    def of_kind(self, kind: str) -> list[Received]:
        return [r for r in self.received if r.kind == kind]

    @property
    def audio(self) -> bytes:
        return b"".join(r.data for r in self.of_kind("audio"))


@dataclass
class Conversation:
    """What a resumption handle restores: where the script is and what the context holds."""

    position: int = 0
    text_tokens: int = 0
    audio_tokens: float = 0.0
    image_tokens: int = 0


# ---- the server ---------------------------------------------------------------------------------


class FakeGeminiLive:
    """`async with FakeGeminiLive(certificate) as fake:` serves on https://127.0.0.1:<port>."""

    def __init__(self, certificate: TestCertificate, options: FakeLiveOptions | None = None) -> None:
        self.certificate = certificate
        self.options = options or FakeLiveOptions()
        self.connections: list[ConnectionRecord] = []
        self.handles: dict[str, Conversation] = {}
        self._mid_turn_faults: deque[MidTurnFault] = deque()
        self._refusals: deque[RefuseConnection] = deque()
        self._ids = itertools.count(1)
        self._server: Server | None = None

    async def __aenter__(self) -> "FakeGeminiLive":
        # No permessage-deflate: compressing base64 audio costs the client CPU for little gain.
        self._server = await serve(
            self._serve,
            "127.0.0.1",
            0,
            ssl=self.certificate.server_context(),
            compression=None,
            process_request=self._check_request,
            max_size=None,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        assert self._server is not None
        port = next(iter(self._server.sockets)).getsockname()[1]
        return f"https://127.0.0.1:{port}"

    def inject(self, fault: MidTurnFault | RefuseConnection) -> None:
        if isinstance(fault, RefuseConnection):
            self._refusals.append(fault)
        else:
            self._mid_turn_faults.append(fault)

    def expire_handles(self) -> None:
        self.handles.clear()

    def next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def take_mid_turn_fault(self) -> MidTurnFault | None:
        return self._mid_turn_faults.popleft() if self._mid_turn_faults else None

    def take_refusal(self) -> RefuseConnection | None:
        return self._refusals.popleft() if self._refusals else None

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """The socket's path, or the REST list of models the real host serves beside it (`GET /{version}/models`,
        what `manage.py tutor_models` reads): the Live models the fake takes and the text models, less those shut
        down."""
        url = urlsplit(request.path)
        if LIST.match(url.path) and "upgrade" not in request.headers.get("Connection", "").lower():
            if _api_key(request) != self.options.api_key:
                return _json_response(connection, 400, _rest_error(400, BAD_KEY))
            query = parse_qs(url.query)
            listed = gemini_listing(
                set(MODELS) - SHUT_DOWN - self.options.shut_down,
                shut_down=self.options.shut_down,
                page_size=int((query.get("pageSize") or ["0"])[0]) or None,
                page_token=(query.get("pageToken") or [""])[0],
            )
            return _json_response(connection, 200, listed)
        if not PATH.match(url.path):
            return connection.respond(404, "Not Found\n")
        return None

    async def _serve(self, ws: ServerConnection) -> None:
        record = ConnectionRecord(path=ws.request.path, api_key=_api_key(ws.request))
        self.connections.append(record)
        try:
            await _Session(self, ws, record).run()
        finally:
            record.close_code = ws.close_code
            record.client_closed = bool(ws.protocol.close_rcvd_then_sent)
            record.done.set()


def _json_response(connection: ServerConnection, status: int, payload: dict[str, Any]) -> Response:
    response = connection.respond(status, json.dumps(payload))
    del response.headers["Content-Type"]
    response.headers["Content-Type"] = "application/json; charset=UTF-8"
    return response


def _rest_error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"code": status, "message": message, "status": "INVALID_ARGUMENT"}}


def _api_key(request: Request) -> str | None:
    """The key as the service takes it: header, `Authorization: Token`, or ?key= / ?access_token=."""
    if key := request.headers.get("x-goog-api-key"):
        return key
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Token "):
        return authorization.removeprefix("Token ")
    query = parse_qs(urlsplit(request.path).query)
    return (query.get("key") or query.get("access_token") or [None])[0]


def _decode(data: Any) -> bytes:
    """Protobuf JSON bytes: standard or url-safe base64, padding optional; anything else is refused."""
    if not isinstance(data, str):
        raise Rejected(1007, f"Invalid value for bytes field. {INVALID_ARGUMENT}")
    standard = data.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except binascii.Error:
        raise Rejected(1007, f"Invalid value at 'data' (TYPE_BYTES), Base64 decoding failed. {INVALID_ARGUMENT}")


# ---- one connection -----------------------------------------------------------------------------


class _Session:
    """One connection: setup, then messages in, speech detection, and answers on their own task."""

    def __init__(self, server: FakeGeminiLive, ws: ServerConnection, record: ConnectionRecord) -> None:
        self.server, self.ws, self.record, self.options = server, ws, record, server.options
        self.setup: AcceptedSetup | None = None
        self.conversation = Conversation()
        self.detector = EnergyDetector(silence_ms=self.options.silence_ms)
        self.exchange: Exchange | None = None  # what the student is saying now
        self.words_sent = 0
        self.speech_ms = 0.0
        self.answer: asyncio.Task | None = None
        self.answered_ms = 0.0
        self.pending_calls: dict[str, asyncio.Future] = {}  # blocking calls: the answer waits for these
        self.async_calls: set[str] = set()  # NON_BLOCKING calls not answered yet
        self.spoken_results = 0  # function results to speak about once the current answer is over
        self.realtime_seen = False
        self.in_activity = False  # manual activity: between the client's activityStart and activityEnd
        self.tasks: set[asyncio.Task] = set()

    async def run(self) -> None:
        try:
            await self._open()
            async for raw in self.ws:
                await self._on_message(raw)
        except Rejected as rejected:
            # A close frame holds at most 123 bytes of reason; the service cuts longer ones too.
            await self.ws.close(rejected.code, rejected.reason.encode()[:123].decode(errors="ignore"))
        except ConnectionClosed:
            pass
        finally:
            for task in [self.answer, *self.tasks]:
                if task is not None:
                    task.cancel()

    async def _open(self) -> None:
        raw = await self.ws.recv()
        message = self._parse(raw)
        if set(message) != {"setup"}:
            raise Rejected(1007, f"The first message must be setup. {INVALID_ARGUMENT}")
        if self.record.api_key != self.options.api_key:
            raise Rejected(1008, BAD_KEY)
        version = PATH.match(urlsplit(self.record.path).path).group(1)
        self.setup = self.record.setup = check_setup(
            message["setup"], version=version, shut_down=self.options.shut_down
        )
        if self.setup.handle is not None:
            if self.setup.handle not in self.server.handles:
                raise Rejected(1007, f"Session resumption handle is invalid or has expired. {INVALID_ARGUMENT}")
            self.conversation = replace(self.server.handles[self.setup.handle])
        else:
            self.conversation = Conversation(text_tokens=len(self.setup.instructions) // 4)
        if refusal := self.server.take_refusal():
            raise Rejected(refusal.code, refusal.reason)
        if self.setup.silence_ms is not None:
            self.detector.silence_ms = self.setup.silence_ms
        await self._send({"setupComplete": {}})
        if self.options.connection_seconds is not None:
            self._spawn(self._cap(self.options.connection_seconds))

    def _parse(self, raw: str | bytes) -> dict[str, Any]:
        try:
            message = json.loads(raw)
        except ValueError:
            raise Rejected(1007, f"Invalid JSON payload received. {INVALID_ARGUMENT}")
        if not isinstance(message, dict) or len(message) != 1:
            raise Rejected(1007, f"A message sets exactly one of its fields. {INVALID_ARGUMENT}")
        return message

    def _receive(self, kind: str, data: Any, raw: str | bytes) -> None:
        self.record.received.append(Received(time.monotonic(), kind, data, raw))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # ---- client messages ----------------------------------------------------------------------

    async def _on_message(self, raw: str | bytes) -> None:
        message = self._parse(raw)
        ((key, body),) = message.items()
        match key:
            case "realtime_input" | "realtimeInput":
                self.realtime_seen = True
                await self._on_realtime(only(body, "realtime_input", REALTIME_FIELDS), raw)
            case "tool_response" | "toolResponse":
                await self._on_tool_response(only(body, "tool_response", {"functionResponses"}), raw)
            case "client_content" | "clientContent":
                await self._on_client_content(only(body, "client_content", {"turns", "turnComplete"}), raw)
            case "contextUpdate" | "context_update":
                self._receive("context_update", body, raw)
            case _:
                raise Rejected(1007, f'Invalid JSON payload received. Unknown name "{key}". {INVALID_ARGUMENT}')

    async def _on_realtime(self, body: dict[str, Any], raw: str | bytes) -> None:
        if len(body) != 1:
            raise Rejected(1007, f"realtime_input sets exactly one of its fields. {INVALID_ARGUMENT}")
        ((key, value),) = body.items()
        match key:
            case "audio":
                blob = only(value, "realtime_input.audio", {"data", "mimeType"})
                if not AUDIO_IN_MIME.match(str(get(blob, "mimeType", ""))):
                    raise Rejected(
                        1007, f"Unsupported mime type {get(blob, 'mimeType')!r} for audio. {INVALID_ARGUMENT}"
                    )
                pcm = _decode(get(blob, "data"))
                self._receive("audio", pcm, raw)
                await self._hear(pcm)
            case "video":
                blob = only(value, "realtime_input.video", {"data", "mimeType"})
                mime = get(blob, "mimeType")
                if mime not in IMAGE_SIGNATURES:
                    raise Rejected(1007, f"Unsupported mime type {mime!r} for video. {INVALID_ARGUMENT}")
                picture = _decode(get(blob, "data"))
                if not picture.startswith(IMAGE_SIGNATURES[mime]):  # a frame the service cannot decode
                    raise Rejected(1007, INVALID_ARGUMENT)
                self._receive("image", (mime, picture), raw)
                self.conversation.image_tokens += self.setup.frame_tokens
            case "text":
                if not isinstance(value, str):
                    raise Rejected(1007, INVALID_ARGUMENT)
                self._receive("text", value, raw)
                await self._interrupt()
                self.conversation.text_tokens += len(value) // 4
                self._start_answer(self._next_exchange())
            case "audioStreamEnd" | "audio_stream_end":
                self._receive("audio_stream_end", value, raw)
                if self.detector.speaking and not self.setup.manual_activity:  # only the service's detection uses it
                    self.detector.end()
                    await self._speech_ended()
            case "activityStart" | "activity_start" | "activityEnd" | "activity_end":
                if not self.setup.manual_activity:
                    raise Rejected(
                        1007,
                        f"Explicit activity signals need automatic activity detection disabled. {INVALID_ARGUMENT}",
                    )
                await self._activity(start=key in ("activityStart", "activity_start"), raw=raw)

    async def _on_tool_response(self, body: dict[str, Any], raw: str | bytes) -> None:
        responses = get(body, "functionResponses", [])
        self._receive("tool_response", responses, raw)
        for response in responses:
            call_id = get(only(response, "function_responses", RESPONSE_FIELDS), "id")
            scheduling = get(response, "scheduling", "SCHEDULING_UNSPECIFIED")
            if scheduling not in SCHEDULINGS:
                raise Rejected(1007, f"Invalid value at 'function_responses.scheduling'. {INVALID_ARGUMENT}")
            if call_id in self.async_calls:
                self.async_calls.discard(call_id)
                await self._scheduled(scheduling)
                continue
            future = self.pending_calls.pop(call_id, None)
            if future is None:
                raise Rejected(1007, f"No pending function call with id {call_id!r}. {INVALID_ARGUMENT}")
            future.set_result(response)  # a blocking call: its scheduling is ignored

    async def _scheduled(self, scheduling: str) -> None:
        """A NON_BLOCKING call's result: SILENT only joins the context; WHEN_IDLE (the default) is spoken about
        once the answer in progress is over; INTERRUPT cuts that answer to speak about it now."""
        if scheduling == "SILENT":
            return
        if scheduling == "INTERRUPT":
            await self._interrupt()
        if self.answer is not None and not self.answer.done():
            self.spoken_results += 1
        else:
            self._start_answer(Exchange("", SPOKEN_RESULT))

    async def _on_client_content(self, body: dict[str, Any], raw: str | bytes) -> None:
        if self.realtime_seen and not self.setup.spec.client_content_mid_session:
            raise Rejected(
                1007, f"client_content is only accepted before realtime input on this model. {INVALID_ARGUMENT}"
            )
        self._receive("client_content", body, raw)
        if get(body, "turnComplete", False):
            await self._interrupt()
            self._start_answer(self._next_exchange())

    # ---- hearing the student ------------------------------------------------------------------

    async def _activity(self, *, start: bool, raw: str | bytes) -> None:
        """Manual activity (automatic detection disabled), as the Live API documents it: activityStart begins the
        student's turn and, by the default activity handling (START_OF_ACTIVITY_INTERRUPTS), cuts an answer under
        way; the audio between it and activityEnd is the turn; the model answers only after activityEnd."""
        self._receive("activity_start" if start else "activity_end", {}, raw)
        if start:
            await self._interrupt()
            self.in_activity = True
            self.exchange, self.words_sent, self.speech_ms = self._next_exchange(), 0, 0.0
            return
        if self.in_activity:
            self.in_activity = False
            await self._speech_ended()

    async def _hear(self, pcm: bytes) -> None:
        self.conversation.audio_tokens += duration_ms(pcm, 16_000) / 1000 * self.options.tokens_per_second
        if self.setup.manual_activity:  # a turn is what the client marks, loud or not; outside one, nothing
            if self.in_activity:
                self.speech_ms += duration_ms(pcm, 16_000)
                await self._transcribe(final=False)
            return
        for change in self.detector.feed(pcm):
            if change.started:
                await self._interrupt()
                self.exchange, self.words_sent, self.speech_ms = self._next_exchange(), 0, 0.0
            self.speech_ms += change.speech_ms
            await self._transcribe(final=False)
            if change.ended:
                await self._speech_ended()

    def _next_exchange(self) -> Exchange:
        script = self.options.script
        exchange = script[self.conversation.position % len(script)]
        self.conversation.position += 1
        return exchange

    async def _transcribe(self, *, final: bool) -> None:
        """A word per `word_ms` of speech while it lasts; the last word only once the speech is over, and the
        last `late_words` only after the answer has begun."""
        if self.exchange is None:
            return
        words = self.exchange.heard.split()
        before_answer = max(0, len(words) - self.options.late_words)
        due = (
            before_answer
            if final
            else min(before_answer, len(words) - 1, 1 + int(self.speech_ms // self.options.word_ms))
        )
        while self.words_sent < due:
            await self._send_word(words, self.words_sent)
            self.words_sent += 1

    async def _send_word(self, words: list[str], index: int) -> None:
        transcription: dict[str, Any] = {"text": words[index] if index == 0 else " " + words[index]}
        if index == len(words) - 1 and self.options.finished_flag:
            transcription["finished"] = True
        await self._send({"serverContent": {"inputTranscription": transcription}})

    async def _speech_ended(self) -> None:
        await self._transcribe(final=True)
        if self.exchange is not None:
            self._start_answer(self.exchange, late_from=self.words_sent)
            self.exchange = None

    # ---- answering ----------------------------------------------------------------------------

    def _start_answer(self, exchange: Exchange, *, late_from: int | None = None) -> None:
        """`late_from`: the first word of what the student said still to be transcribed, after the first chunk."""
        self.answered_ms = 0.0
        self.answer = asyncio.create_task(self._answer(exchange, late_from))

    async def _answer(self, exchange: Exchange, late_from: int | None = None) -> None:
        if self.options.think_seconds:
            await asyncio.sleep(self.options.think_seconds)
        reply = exchange.reply
        if exchange.tool is not None:
            name, args = exchange.tool
            if name in self.setup.blocking or name not in self.setup.tools:  # undeclared: blocking, as by default
                await self._call_tool(name, args)
                reply = f"{SPOKEN_RESULT} {reply}"  # the model goes on from the result
            else:
                await self._call_tool_async(name, args)
        fault = self.server.take_mid_turn_fault()
        if self.setup.spec.background_thinking:  # speaks a little, reasons in the background, then answers
            fault = await self._speak(THINKING_ALOUD, exchange, late_from, fault)
            late_from = None
            await self._turn_complete(interaction="IN_PROGRESS")
            await asyncio.sleep(self.options.thinking_seconds)
        await self._speak(reply, exchange, late_from, fault, continues=self.setup.spec.background_thinking)
        await self._turn_complete(interaction="IDLE" if self.setup.spec.background_thinking else None)
        await self._turn_over()
        if self.spoken_results:
            self.spoken_results -= 1
            self._start_answer(Exchange("", SPOKEN_RESULT))

    async def _speak(
        self,
        reply: str,
        exchange: Exchange,
        late_from: int | None,
        fault: "MidTurnFault | None",
        *,
        continues: bool = False,
    ) -> "MidTurnFault | None":
        """The reply's audio in chunks, each word's transcription with its first chunk (`continues`: after words
        already said in this turn); returns the fault not yet produced (a reply without words leaves it)."""
        bundled = self.setup.spec.bundles_parts
        chunk_bytes = bytes_for_ms(self.options.reply_chunk_ms, 24_000)
        for index, word in enumerate(reply.split()):
            pcm = tone(self.options.reply_word_ms, 24_000, hz=180.0 + 20 * (index % 5), dbfs=-18.0)
            for start in range(0, len(pcm), chunk_bytes):
                chunk = pcm[start : start + chunk_bytes]
                content: dict[str, Any] = {
                    "modelTurn": {
                        "parts": [
                            {
                                "inlineData": {
                                    "mimeType": "audio/pcm;rate=24000",
                                    "data": base64.b64encode(chunk).decode(),
                                }
                            }
                        ]
                    }
                }
                if start == 0:
                    transcription = {"text": word if index == 0 and not continues else " " + word}
                    if bundled:
                        content["outputTranscription"] = transcription
                    else:
                        await self._send({"serverContent": {"outputTranscription": transcription}})
                await self._send({"serverContent": content})
                self.answered_ms += duration_ms(chunk, 24_000)
                if late_from is not None:  # the service's transcript trails its answer
                    words = exchange.heard.split()
                    for late in range(late_from, len(words)):
                        await self._send_word(words, late)
                    late_from = None
                if fault is not None:
                    await self._fail(fault)
                    fault = None
                await asyncio.sleep(duration_ms(chunk, 24_000) / 1000 * self.options.pace)
        return fault

    async def _turn_complete(self, *, interaction: str | None) -> None:
        """generationComplete and turnComplete with the turn's usage (bundled in one message by 3.1); the
        extended-thinking model says with each whether it is still reasoning (IN_PROGRESS) or done (IDLE)."""
        done: dict[str, Any] = {"turnComplete": True}
        if interaction is not None:
            done["interactionStatus"] = interaction
        if self.setup.spec.bundles_parts:
            await self._send({"serverContent": {"generationComplete": True, **done}, "usageMetadata": self._usage()})
        else:
            await self._send({"serverContent": {"generationComplete": True}})
            await self._send({"serverContent": done, "usageMetadata": self._usage()})
        self.conversation.audio_tokens += self.answered_ms / 1000 * self.options.tokens_per_second
        self.answered_ms = 0.0

    async def _call_tool_async(self, name: str, args: dict[str, Any]) -> None:
        call_id = self.server.next_id("fc")
        self.async_calls.add(call_id)
        await self._send({"toolCall": {"functionCalls": [{"id": call_id, "name": name, "args": args}]}})

    async def _call_tool(self, name: str, args: dict[str, Any]) -> None:
        call_id = self.server.next_id("fc")
        future = asyncio.get_running_loop().create_future()
        self.pending_calls[call_id] = future
        await self._send({"toolCall": {"functionCalls": [{"id": call_id, "name": name, "args": args}]}})
        try:
            await asyncio.wait_for(future, self.options.tool_timeout)
        except TimeoutError:
            await self.ws.close(1011, "Deadline expired before operation could complete.")
            raise asyncio.CancelledError from None

    async def _fail(self, fault: MidTurnFault) -> None:
        match fault:
            case CloseMidTurn(code=code, reason=reason):
                await self.ws.close(code, reason)
                raise asyncio.CancelledError
            case DropMidTurn():
                self.ws.transport.abort()
                raise asyncio.CancelledError
            case GoAwayMidTurn(time_left=time_left):
                await self._go_away(time_left)

    async def _interrupt(self) -> None:
        """Barge-in: stop the answer, cancel its pending tool calls, then `interrupted` and `turnComplete`."""
        if self.answer is None or self.answer.done():
            return
        self.answer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.answer
        if self.pending_calls:
            await self._send({"toolCallCancellation": {"ids": list(self.pending_calls)}})
            self.pending_calls.clear()
        await self._send({"serverContent": {"interrupted": True}})
        done: dict[str, Any] = {"turnComplete": True}
        if self.setup.spec.background_thinking:  # cut off, it stops reasoning too
            done["interactionStatus"] = "IDLE"
        await self._send({"serverContent": done, "usageMetadata": self._usage()})
        await self._turn_over()

    def _usage(self) -> dict[str, Any]:
        """Every turn bills the whole context again, plus what the tutor said."""
        said = round(self.answered_ms / 1000 * self.options.tokens_per_second)
        conversation = self.conversation
        details = [
            {"modality": "TEXT", "tokenCount": conversation.text_tokens},
            {"modality": "AUDIO", "tokenCount": round(conversation.audio_tokens)},
        ]
        if conversation.image_tokens:
            details.append({"modality": "IMAGE", "tokenCount": conversation.image_tokens})
        prompt = sum(d["tokenCount"] for d in details)
        return {
            "promptTokenCount": prompt,
            "responseTokenCount": said,
            "totalTokenCount": prompt + said,
            "promptTokensDetails": details,
            "responseTokensDetails": [{"modality": "AUDIO", "tokenCount": said}],
        }

    async def _turn_over(self) -> None:
        self.conversation.audio_tokens += self.answered_ms / 1000 * self.options.tokens_per_second
        self.answered_ms = 0.0
        if self.setup.resumption:
            await self._issue_handle(self.options.handle_delay)

    async def _issue_handle(self, delay: float) -> None:
        """A handle that restores the conversation as it stands now; the record keeps, in order, those the client
        was sent (one the connection closed before sending never reached it)."""
        handle = base64.urlsafe_b64encode(self.server.next_id("handle").encode()).decode()
        self.server.handles[handle] = replace(self.conversation)
        update = {"sessionResumptionUpdate": {"newHandle": handle, "resumable": True}}
        if delay:
            self._spawn(self._send_later(delay, update))
        else:
            await self._send(update)

    async def _send(self, message: dict[str, Any]) -> None:
        """camelCase JSON in a binary frame, as the service sends it; recorded once sent (what the client could
        read, and so the usage the client could record, the handles it could resume with)."""
        await self.ws.send(json.dumps(message).encode())
        self.record.sent.append(message)
        if (update := message.get("sessionResumptionUpdate")) is not None:
            self.record.handles.append((time.time(), update["newHandle"]))

    async def _send_later(self, seconds: float, message: dict[str, Any]) -> None:
        await asyncio.sleep(seconds)
        await self._send(message)

    # ---- the connection's end -----------------------------------------------------------------

    async def _cap(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds - self.options.goaway_notice))
        await self._go_away(self.options.goaway_notice)

    async def _go_away(self, time_left: float) -> None:
        await self._send({"goAway": {"timeLeft": f"{time_left:g}s"}})
        self._spawn(self._close_later(time_left))
        if self.setup.resumption and self.options.handle_after_goaway:  # the service's newest handle follows
            await self._issue_handle(0.0)

    async def _close_later(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self.ws.close(1011, "Deadline expired before operation could complete.")
