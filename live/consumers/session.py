"""The student's session socket: browser protocol v1 (docs/protocol.md) over a WebSocket, as a thin adapter.

It checks who may connect, enforces the frame limits and the pace of audio, typing and pictures, turns frames into
typed events for the session's runner and the runner's events back into frames. Everything else lives in the
runner (tutor/session/runner.py) and its host (live/host.py), which also speaks for the session on the channel
layer.

It is a plain ASGI application, not a Channels consumer: it reads its socket in a loop of its own, because
Channels' dispatch makes two tasks per message and, before each, checks the database connection on the database
thread, which for fifty audio frames a second put every frame behind every database write of the process
(docs/performance.md). Nothing reaches it by the channel layer (its host listens there), so it has no handlers
for channel-layer messages, and Channels' `websocket_*`/`live_*` method names mean nothing here.
"""

import asyncio
import contextlib
import logging

from channels.db import database_sync_to_async
from django.conf import settings
from django.urls import reverse

from practice.access import session_joinable_by
from practice.models import FINISHED
from tutor import protocol
from tutor.audio import INPUT_RATE, duration_ms
from tutor.events import AudioIn, ClientEvent, Ended, ImageIn, TextIn, VideoFrameIn
from tutor.throttle import Admit, AudioThrottle, IntervalThrottle, TypingThrottle

from ..host import HOSTS, LiveSessionHost, host_for
from ..metrics import SocketMeter, browser_reconnects
from ..outages import OUTAGES, RETRY_AFTER_SECONDS

log = logging.getLogger(__name__)


async def live_session_socket(scope: dict, receive, send) -> None:
    """The ASGI application routed at /ws/sessions/<id>/: one LiveSessionSocket per connection."""
    await LiveSessionSocket(scope, send).serve(receive)


class LiveSessionSocket:
    host: LiveSessionHost | None = None
    sender: asyncio.Task | None = None
    meter: SocketMeter | None = None

    def __init__(self, scope: dict, send) -> None:
        self.scope, self._send = scope, send

    async def serve(self, receive) -> None:
        try:
            while True:
                message = await receive()
                match message["type"]:
                    case "websocket.receive":
                        await self.receive(message.get("text"), message.get("bytes"))
                    case "websocket.connect":
                        await self.connect()
                    case "websocket.disconnect":
                        self.disconnect()
                        return
        except asyncio.CancelledError:
            # The server is stopping (Daphne cancels every connection first, then waits for them): hand the
            # session off, so what was said is written and a browser that reconnects anywhere carries on.
            if self.host is not None:
                await self.host.hand_off()
            raise

    async def connect(self) -> None:
        # Accept first, then refuse with a code and a reason: a handshake refused outright reaches
        # the browser as a bare 1006, which tells the student nothing.
        await self._send({"type": "websocket.accept"})
        try:
            await self._join()
        except OUTAGES as exc:
            log.warning("refused a live socket, a service is away: %s: %s", type(exc).__name__, exc)
            await self._refuse(
                protocol.CLOSE_UNAVAILABLE,
                "unavailable",
                "The site cannot reach its database or its channel layer just now: connect again.",
                retry_after=RETRY_AFTER_SECONDS,
            )

    async def _join(self) -> None:
        if (outage := self.scope.get("outage")) is not None:
            raise outage
        session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        session = await database_sync_to_async(session_joinable_by)(user=self.scope["user"], session_id=session_id)
        if session is None:
            await self._refuse(protocol.CLOSE_FORBIDDEN, "forbidden", "You may not join this session.")
            return
        if session.status in FINISHED:
            await self._refuse(protocol.CLOSE_GONE, "ended", "This session has ended.")
            return
        self.session_id = session_id
        tutor = settings.TUTOR
        self.limits = tutor.limits
        self.throttle = AudioThrottle(tutor.audio_pace)
        self.typing = TypingThrottle(tutor.typing_pace)
        self.pictures = IntervalThrottle(tutor.min_image_interval_seconds)
        self.frames = IntervalThrottle(tutor.min_image_interval_seconds)
        self.warned_too_fast = False
        hosted = session_id in HOSTS
        self.host = await host_for(session)
        if hosted:
            browser_reconnects.inc()
        runner = self.host.runner
        self.meter = SocketMeter(lambda: runner.provider.name)
        for event in await self.host.attach(self):
            await self._send_event(event)
        self.sender = asyncio.create_task(self._pump())

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.host is None:
            return
        try:
            event = (
                protocol.parse_text(text_data, self.limits)
                if text_data is not None
                else protocol.parse_binary(bytes_data or b"", self.limits)
            )
        except protocol.ProtocolError as exc:
            await self._send_text(protocol.error(exc.code, exc.message))
            return
        if self.meter is not None:
            if isinstance(event, AudioIn):
                self.meter.audio_in(event.pcm)
            else:
                self.meter.text_in(isinstance(event, TextIn))
        match event:
            case AudioIn(pcm=pcm):
                if not await self._admit_audio(duration_ms(pcm, INPUT_RATE)):
                    return
            case TextIn() if not self.typing.admit():
                message = "That came too fast: wait for the tutor's answer, then send it again."
                await self._send_text(protocol.error("too_fast", message))
                return
            case ImageIn() if not self.pictures.admit():
                await self._send_text(protocol.error("too_fast", "At most one picture a second."))
                return
            case VideoFrameIn() if not self.frames.admit():
                return  # a shared camera or screen sends the next frame soon: dropped without a word
        await self.host.runner.handle(event)

    async def _admit_audio(self, ms: float) -> bool:
        match self.throttle.admit(ms):
            case Admit.OK:
                return True
            case Admit.DROP:
                if not self.warned_too_fast:
                    self.warned_too_fast = True
                    message = "Audio is arriving faster than real time; the excess is dropped."
                    await self._send_text(protocol.error("too_fast", message))
                return False
            case Admit.CLOSE:
                await self._refuse(protocol.CLOSE_TOO_FAST, "too_fast", "Far too much audio, too fast: disconnected.")
                return False

    def disconnect(self) -> None:
        if self.meter is not None:
            self.meter.flush()
        if self.sender is not None:
            self.sender.cancel()
        if self.host is not None:
            self.host.detach(self)

    async def replaced(self) -> None:
        """Another tab or device took this session over."""
        if self.sender is not None:
            self.sender.cancel()
        self.host = None
        await self._refuse(protocol.CLOSE_REPLACED, "replaced", "This session continues in another window.")

    async def _pump(self) -> None:
        runner = self.host.runner
        while True:
            event = await runner.outbox.get()
            await self._send_event(event)
            if isinstance(event, Ended):
                self.host = None
                await self._close(1000)
                return

    async def _send_event(self, event: ClientEvent) -> None:
        extra = {}
        if isinstance(event, Ended):
            extra["report_url"] = reverse("session_detail", args=[self.session_id])
        frame = protocol.encode(event, **extra)
        if self.meter is not None:
            self.meter.sent(event)
        if isinstance(frame, bytes):
            await self._send({"type": "websocket.send", "bytes": frame})
        else:
            await self._send_text(frame)

    async def _send_text(self, text: str) -> None:
        await self._send({"type": "websocket.send", "text": text})

    async def _close(self, code: int, reason: str = "") -> None:
        await self._send({"type": "websocket.close", "code": code, "reason": reason})

    async def _refuse(self, code: int, reason: str, message: str, **extra) -> None:
        with contextlib.suppress(Exception):
            await self._send_text(protocol.error(reason, message, fatal=True, **extra))
        await self._close(code, reason)
