"""SessionWatchConsumer: a teacher's read-only view of a live session, at /ws/watch/<session_id>/.

It sends what the session has written so far, then forwards every event the session's host publishes
on the watch group (live/host.py). The group lives on the channel layer, so the watcher and the session
may be in different server processes (Redis). The view tells the host it watches (and renews that while it
stays, and answers a host that starts and asks), so the host publishes only while somebody watches.
"""

import asyncio
import contextlib
import json
from collections import Counter

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from practice.access import session_watchable_by
from practice.models import FINISHED
from practice.selectors.live import watch_start
from tutor import protocol
from tutor.events import Ended, TranscriptUpdate
from tutor.session import control

from ..outages import OUTAGES, RETRY_AFTER_SECONDS


class SessionWatchConsumer(AsyncWebsocketConsumer):
    group: str | None = None
    renewing: asyncio.Task | None = None

    async def connect(self) -> None:
        # Accept, then refuse with a code and a reason, as the student's consumer does; an outage of the
        # database or the channel layer met here is a 4503, as for the student's socket.
        await self.accept()
        try:
            await self._join()
        except OUTAGES:
            with contextlib.suppress(Exception):
                message = "The site cannot reach its database or its channel layer just now: connect again."
                frame = protocol.error("unavailable", message, fatal=True, retry_after=RETRY_AFTER_SECONDS)
                await self.send(text_data=frame)
            await self.close(code=protocol.CLOSE_UNAVAILABLE, reason="unavailable")

    async def _join(self) -> None:
        session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        session = await database_sync_to_async(session_watchable_by)(user=self.scope["user"], session_id=session_id)
        if session is None:
            await self._refuse("You may not watch this session.")
            return
        # Join the group before reading the database, so nothing falls between the two; what arrives
        # both ways is sent once (transcripts replace, so only notes need counting).
        self.group, self.control = control.watch_group(session_id), control.control_group(session_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self._say_watching()
        self.renewing = asyncio.create_task(self._renew())
        start = await database_sync_to_async(watch_start)(session_id=session_id)
        self.already_sent: Counter[str] = Counter()
        hello = {
            "type": "watching",
            "session": session_id,
            "student": session.student.display_name,
            "lesson": session.lesson.title,
            "status": start.status,
        }
        await self.send(text_data=json.dumps(hello, ensure_ascii=False))
        for event in start.events:
            frame = protocol.encode(event)
            if not isinstance(event, TranscriptUpdate):
                self.already_sent[frame] += 1
            await self.send(text_data=frame)
        if start.status in FINISHED:
            await self.send(text_data=protocol.encode(Ended(reason=start.end_reason)))
            await self.close(code=1000)

    async def live_event(self, message: dict) -> None:
        """One event of the session, as the protocol frame the student's browser got (control.WatchEvent)."""
        event = control.decode(message)
        if not isinstance(event, control.WatchEvent):
            return
        if self.already_sent[event.frame]:
            self.already_sent[event.frame] -= 1
            return
        await self.send(text_data=event.frame)
        if event.last:
            await self.close(code=1000)

    async def live_who_watches(self, message: dict) -> None:
        await self._say_watching()

    async def _say_watching(self) -> None:
        await self.channel_layer.group_send(self.control, control.encode(control.Watching(self.channel_name)))

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(control.WATCH_RENEW_SECONDS)
            with contextlib.suppress(Exception):  # the channel layer being away for a moment ends nothing
                await self._say_watching()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data=protocol.error("bad_message", "This socket only listens."))

    async def disconnect(self, code: int) -> None:
        if self.renewing is not None:
            self.renewing.cancel()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            stopped = control.StoppedWatching(self.channel_name)
            with contextlib.suppress(Exception):
                await self.channel_layer.group_send(self.control, control.encode(stopped))

    async def _refuse(self, message: str) -> None:
        with contextlib.suppress(Exception):
            await self.send(text_data=protocol.error("forbidden", message, fatal=True))
        await self.close(code=protocol.CLOSE_FORBIDDEN, reason="forbidden")
