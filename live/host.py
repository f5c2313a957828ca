"""Hosts this process's live sessions: one runner per session, the browser attached to it, and the
channel-layer groups through which other server processes, Celery and teachers reach it. While a teacher
watches (their view says so on the control group), each event of the session but audio is published once on
the watch group; while nobody watches, nothing is.

A browser that reconnects to this process attaches to the same runner. One that reconnects to
another process makes that process announce a takeover on the session's group; the runner here then
hands off (writes what it has, keeps the session open) and the new runner resumes from the database.
"""

import asyncio
import contextlib
import logging
import time
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache

from practice.models import SessionStatus, TutorSession
from practice.provider_health import CachedProviderHealth
from practice.selectors.live import learner_profile_for, session_brief
from practice.services.hosting import session_host_channel, session_host_claim, session_host_release
from tutor import protocol
from tutor.config import TutorConfig
from tutor.events import ClientEvent, Ended
from tutor.providers.factory import live_provider
from tutor.session import control
from tutor.session.failover import TutorChoice
from tutor.session.runner import HANDOFF, SessionRunner

from . import metrics
from .journal import SessionJournal
from .outages import OUTAGES
from .store import JOURNAL, DjangoSessionStore

log = logging.getLogger(__name__)

RELEASE_WAIT_SECONDS = 2.0  # how long a new host waits for the old one to let go
LISTEN_AGAIN_SECONDS = 0.5  # how soon a host listens again on a channel layer that was away
HAND_OFF_WAIT_SECONDS = 5.0  # how long a stopping server waits for a runner to write what it has
# A host says it holds its session in the cache (Redis across processes), renewed while it runs, and in the
# database (its channel and epoch, which a Redis restart does not erase): a new host asks the old one to let go,
# found in the cache or else the database; a server that stopped cleared both and is not waited for.
PRESENCE_SECONDS = 60.0


def _presence_key(session_id: int) -> str:
    return f"live-host:{session_id}"


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
        self._watchers: dict[str, float] = {}  # the views watching (their channels), and when each last said so
        self.epoch: int | None = None  # this process's turn at hosting the session (practice/services/hosting.py)
        self._failures_counted = 0

    @property
    def provider(self) -> str:
        return self.runner.provider.name

    @property
    def writes_waiting(self) -> int:
        return self.runner.recorder.persister.depth

    def take_write_failures(self) -> int:
        failures = self.runner.recorder.persister.failures
        new, self._failures_counted = failures - self._failures_counted, failures
        return new

    @property
    def done(self) -> bool:
        return self.runner.done.is_set()

    async def start(self) -> None:
        """Take the session (a new epoch: a runner elsewhere is fenced off from now on), then restore it, so the
        browser's first `ready` has its elapsed time and every turn the last host wrote."""
        self._channel = await self._layer.new_channel()
        self.epoch = await database_sync_to_async(session_host_claim)(session_id=self.session_id, channel=self._channel)
        if isinstance(self.runner.store, DjangoSessionStore):
            self.runner.store.epoch = self.epoch
        await self.runner.restore()
        self.runner.audience.add_observer(metrics.SessionMeter(lambda: self.provider))
        await self._layer.group_add(control.control_group(self.session_id), self._channel)
        await self._layer.group_send(control.watch_group(self.session_id), control.encode(control.WhoWatches()))
        await cache.aset(_presence_key(self.session_id), self._channel, PRESENCE_SECONDS)
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
            with contextlib.suppress(Exception):  # a host cancelled mid-way leaves the key to expire
                if await cache.aget(_presence_key(self.session_id)) == self._channel:
                    await cache.adelete(_presence_key(self.session_id))
            with contextlib.suppress(Exception):  # the database away: the next host waits for this one briefly
                await database_sync_to_async(session_host_release)(session_id=self.session_id, epoch=self.epoch)
        except Exception:
            log.exception("live session %s crashed", self.session_id)
        finally:
            if HOSTS.get(self.session_id) is self:  # a newer host of the session may have taken its place
                del HOSTS[self.session_id]
            metrics.sample(HOSTS.values(), gone=(self,))
            with contextlib.suppress(Exception):
                await self._layer.group_discard(control.control_group(self.session_id), self._channel)
            for task in self._tasks:
                if task is not asyncio.current_task():
                    task.cancel()

    async def _listen(self) -> None:
        """Each control message goes to the method its type names, as Channels dispatches to consumers. Redis
        away does not end the listening: a takeover asked for once it is back must still be heard."""
        away = False
        while True:
            try:
                raw = await self._layer.receive(self._channel)
            except OUTAGES as exc:
                if not away:
                    log.warning("session %s: the channel layer is away (%s); listening again", self.session_id, exc)
                away = True
                await asyncio.sleep(LISTEN_AGAIN_SECONDS)
                continue
            if away:
                log.warning("session %s: the channel layer is back", self.session_id)
                away = False
            message = control.decode(raw)
            handler = getattr(self, control.handler_name(message), None) if message is not None else None
            if handler is None:
                log.warning("session %s: ignored a control message of type %r", self.session_id, raw.get("type"))
                continue
            await handler(message)

    async def hand_off(self) -> None:
        """Let go of the session without ending it (this server is stopping): the runner writes what was
        said, keeps what was being said as an interrupted turn, and leaves the session live."""
        self.runner.request_end(HANDOFF)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.runner.done.wait(), timeout=HAND_OFF_WAIT_SECONDS)

    async def live_takeover(self, message: control.TakeOver) -> None:
        if message.reply_to == self._channel:
            return
        browser, self.browser = self.browser, None
        if browser is not None:
            await browser.replaced()
        await self.hand_off()
        await self._layer.send(message.reply_to, control.encode(control.Released(session=self.session_id)))

    async def live_summary(self, message: control.SummaryReady) -> None:
        log.info("session %s: new summary through turn %s", self.session_id, message.through)
        self.runner.summary_ready(message.through)

    async def live_watching(self, message: control.Watching) -> None:
        if not self._watchers:
            self.runner.audience.add_observer(self._publish)
        self._watchers[message.channel] = time.monotonic()

    async def live_stopped_watching(self, message: control.StoppedWatching) -> None:
        self._watchers.pop(message.channel, None)
        if not self._watchers:
            self.runner.audience.remove_observer(self._publish)

    @property
    def channel(self) -> str | None:
        return self._channel

    def forget_silent_watchers(self) -> None:
        """A view whose server died never says it stopped: forgotten once it has not renewed for a while."""
        limit = time.monotonic() - 3 * control.WATCH_RENEW_SECONDS
        for channel in [channel for channel, said in self._watchers.items() if said < limit]:
            del self._watchers[channel]
        if not self._watchers:
            self.runner.audience.remove_observer(self._publish)

    async def _publish(self, event: ClientEvent) -> None:
        """Each event once, encoded here as the student's browser got it, for every view on the watch group."""
        message = control.WatchEvent(frame=protocol.encode(event), last=isinstance(event, Ended))
        await self._layer.group_send(control.watch_group(self.session_id), control.encode(message))


HOSTS: dict[int, LiveSessionHost] = {}  # this process's hosts, by session id
_starting: dict[int, asyncio.Lock] = {}


async def hand_off_all() -> None:
    """This server is stopping: every session it hosts is handed off, not ended."""
    await asyncio.gather(*(host.hand_off() for host in list(HOSTS.values())))


async def host_for(session: TutorSession) -> LiveSessionHost:
    """This process's host of the session, started (or taken over from another process) if needed."""
    lock = _starting.setdefault(session.pk, asyncio.Lock())
    async with lock:
        host = HOSTS.get(session.pk)
        if host is not None and not host.done:
            return host
        if session.status == SessionStatus.LIVE:
            await _take_over(session.pk)
        host = LiveSessionHost(session.pk, await database_sync_to_async(build_runner)(session.pk))
        await host.start()  # may meet an outage (the caller refuses the browser): then nothing is registered
        HOSTS[session.pk] = host
        _while_hosting()
        return host


_process_tasks: list[asyncio.Task] = []


def _while_hosting() -> None:
    """The process's own tasks, running while it hosts a session: its live numbers (now, then every few seconds)
    and the presence of its hosts."""
    global _process_tasks
    metrics.sample(HOSTS.values())
    loop = asyncio.get_running_loop()
    if not _process_tasks or any(task.done() or task.get_loop() is not loop for task in _process_tasks):
        for task in _process_tasks:
            if task.get_loop() is loop:
                task.cancel()
        _process_tasks = [
            asyncio.create_task(_sample_every(), name="live-metrics"),
            asyncio.create_task(_stay_present(), name="live-presence"),
        ]


async def _sample_every() -> None:
    while HOSTS:
        await asyncio.sleep(metrics.SAMPLE_SECONDS)
        metrics.sample(HOSTS.values())


async def _stay_present() -> None:
    """Every host of the process renews its presence in one trip to the cache (a pipeline on Redis), not a task and
    a trip per session; and forgets the views that stopped saying they watch."""
    while HOSTS:
        await asyncio.sleep(PRESENCE_SECONDS / 3)
        hosts = list(HOSTS.values())
        with contextlib.suppress(Exception):  # the cache being down must not end a session
            await cache.aset_many({_presence_key(host.session_id): host.channel for host in hosts}, PRESENCE_SECONDS)
        for host in hosts:
            host.forget_silent_watchers()


async def _take_over(session_id: int) -> None:
    """Ask the host in another process to let go, and wait (briefly) until it has written what it has. The host is
    the one the cache names, or, when the cache has lost it (Redis restarted), the one the database does."""
    holder = await cache.aget(_presence_key(session_id))
    holder = holder or await database_sync_to_async(session_host_channel)(session_id=session_id)
    if not holder:
        return  # nobody holds it: its server stopped (and handed off)
    layer = get_channel_layer()
    reply_to = await layer.new_channel()
    await layer.send(holder, control.encode(control.TakeOver(reply_to=reply_to)))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(layer.receive(reply_to), timeout=RELEASE_WAIT_SECONDS)


def build_runner(session_id: int) -> SessionRunner:
    """A runner for the session, handed everything it needs as plain values and one configuration."""
    tutor = settings.TUTOR
    session = TutorSession.objects.select_related("lesson", "student").get(pk=session_id)
    provider = session.provider
    return SessionRunner(
        session_id=session.pk,
        provider=live_provider(tutor, provider),
        store=DjangoSessionStore(
            session_id=session.pk, provider=provider, model=session.model, recent_turns=tutor.summaries.recent_turns
        ),
        lesson=session_brief(session=session),
        learner=learner_profile_for(
            student=session.student, language=session.lesson.language, before_session_id=session.pk
        ),
        model=session.model or tutor.live_model(provider),
        voice=tutor.voice(provider, session.lesson.voice),
        config=tutor.runner_config(provider=provider, max_minutes=session.lesson.max_minutes),
        # A session the month's budget put on the offline tutor never fails over to a paid service.
        fallbacks=()
        if session.offline_for_budget
        else tuple(_choice(tutor, n, session) for n in tutor.fallbacks(provider)),
        health=CachedProviderHealth(),
        journal=SessionJournal(JOURNAL, session.pk),
    )


def _choice(tutor: TutorConfig, provider: str, session: TutorSession) -> TutorChoice:
    """A provider the session may go on with: its default model, the lesson's voice if it has it."""
    return TutorChoice(
        provider=live_provider(tutor, provider),
        model=tutor.live_model(provider),
        voice=tutor.voice(provider, session.lesson.voice),
        config=tutor.runner_config(provider=provider, max_minutes=session.lesson.max_minutes),
    )
