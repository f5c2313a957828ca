"""Hosts this process's live sessions: one runner per session, the browser attached to it, and the
channel-layer groups through which other Daphne processes, Celery and teachers reach it.

A browser that reconnects to this process attaches to the same runner. One that reconnects to
another process makes that process announce a takeover on the session's group; the runner here then
hands off (writes what it has, keeps the session open) and the new runner resumes from the database.
"""

import asyncio
import contextlib
import logging
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from . import provider_settings, selectors
from .groups import control_group, watch_group
from .live import protocol, voices
from .live.events import ClientEvent
from .live.runner import HANDOFF, RunnerConfig, SessionRunner
from .live_store import DjangoSessionStore
from .models import SessionStatus, TutorSession
from .provider_factory import live_provider

log = logging.getLogger(__name__)

RELEASE_WAIT_SECONDS = 2.0


class Attachable(Protocol):
    """What the host needs of a browser connection."""

    async def replaced(self) -> None: ...


class LiveSessionHost:
    def __init__(self, session_id: int, runner: SessionRunner) -> None:
        self.session_id = session_id
        self.runner = runner
        self.browser: Attachable | None = None
        self._layer = get_channel_layer()
        self._channel: str | None = None
        self._tasks: list[asyncio.Task] = []

    @property
    def done(self) -> bool:
        return self.runner.done.is_set()

    async def start(self) -> None:
        self._channel = await self._layer.new_channel()
        await self._layer.group_add(control_group(self.session_id), self._channel)
        self.runner.add_observer(self._publish)
        self._tasks = [
            asyncio.create_task(self._run(), name=f"live-session-{self.session_id}"),
            asyncio.create_task(self._listen(), name=f"live-control-{self.session_id}"),
        ]

    async def attach(self, browser: Attachable) -> list[ClientEvent]:
        """One browser per session: a newer connection takes over from an older one."""
        previous, self.browser = self.browser, browser
        if previous is not None and previous is not browser:
            await previous.replaced()
        return self.runner.attach()

    def detach(self, browser: Attachable) -> None:
        if self.browser is browser:
            self.browser = None
            self.runner.detach()

    async def _run(self) -> None:
        try:
            await self.runner.run()
        except Exception:
            log.exception("live session %s crashed", self.session_id)
        finally:
            _hosts.pop(self.session_id, None)
            with contextlib.suppress(Exception):
                await self._layer.group_discard(control_group(self.session_id), self._channel)
            for task in self._tasks:
                if task is not asyncio.current_task():
                    task.cancel()

    async def _listen(self) -> None:
        while True:
            message = await self._layer.receive(self._channel)
            match message.get("type"):
                case "live.takeover" if message.get("reply_to") != self._channel:
                    await self._hand_off(message["reply_to"])
                case "live.summary":
                    log.info("session %s: new summary through turn %s", self.session_id, message.get("through"))
                    self.runner.context_changed()

    async def _hand_off(self, reply_to: str) -> None:
        browser, self.browser = self.browser, None
        if browser is not None:
            await browser.replaced()
        self.runner.request_end(HANDOFF)
        await self.runner.done.wait()
        await self._layer.send(reply_to, {"type": "live.released", "session": self.session_id})

    async def _publish(self, event: ClientEvent) -> None:
        await self._layer.group_send(
            watch_group(self.session_id), {"type": "live.event", "payload": protocol.encode(event)}
        )


_hosts: dict[int, LiveSessionHost] = {}
_starting: dict[int, asyncio.Lock] = {}


async def host_for(session: TutorSession) -> LiveSessionHost:
    """This process's host of the session, started (or taken over from another process) if needed."""
    lock = _starting.setdefault(session.pk, asyncio.Lock())
    async with lock:
        host = _hosts.get(session.pk)
        if host is not None and not host.done:
            return host
        if session.status == SessionStatus.LIVE:
            await _take_over(session.pk)
        host = LiveSessionHost(session.pk, await database_sync_to_async(build_runner)(session.pk))
        _hosts[session.pk] = host
        await host.start()
        return host


async def _take_over(session_id: int) -> None:
    """Ask a host in another process to let go, and wait (briefly) until it has written what it has."""
    layer = get_channel_layer()
    reply_to = await layer.new_channel()
    await layer.group_send(control_group(session_id), {"type": "live.takeover", "reply_to": reply_to})
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(layer.receive(reply_to), timeout=RELEASE_WAIT_SECONDS)


def build_runner(session_id: int) -> SessionRunner:
    session = TutorSession.objects.select_related("lesson", "student").get(pk=session_id)
    lesson = selectors.lesson_brief_for(lesson=session.lesson)
    learner = selectors.learner_profile_for(
        student=session.student, language=session.lesson.language, before_session_id=session.pk
    )
    provider = session.provider
    default_voice = {"gemini": settings.GEMINI_DEFAULT_VOICE, "openai": settings.OPENAI_DEFAULT_VOICE}.get(provider)
    return SessionRunner(
        session_id=session.pk,
        provider=live_provider(provider),
        store=DjangoSessionStore(session_id=session.pk, provider=provider, model=session.model),
        lesson=lesson,
        learner=learner,
        model=session.model or provider_settings.live_model(provider),
        voice=voices.voice_for(provider, session.lesson.voice, default_voice),
        config=RunnerConfig(
            max_seconds=session.lesson.max_minutes * 60,
            idle_timeout=settings.LIVE_IDLE_TIMEOUT_SECONDS,
            reconnect_grace=settings.LIVE_RECONNECT_GRACE_SECONDS,
            retries=settings.LIVE_PROVIDER_RETRIES,
            backoff=settings.LIVE_PROVIDER_BACKOFF_SECONDS,
            audio_tokens_per_second=settings.TUTOR_AUDIO_TOKENS_PER_SECOND.get(provider, (25, 25)),
            max_memory_chars=settings.TUTOR_MEMORY_MAX_CHARS,
            refresh_on_summary=provider != "offline",
        ),
    )


async def stop_all() -> None:
    """For tests and shutdown: end every hosted session as disconnected."""
    for host in list(_hosts.values()):
        host.runner.request_end("disconnected")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(host.runner.done.wait(), timeout=5)
