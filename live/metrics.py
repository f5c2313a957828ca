"""The live path's numbers for an operator, in Prometheus' terms (served at /metrics by config/metrics/view.py).

The engine stays free of them: it emits the typed events it already has, and this adapter counts them. The
socket (consumers/session.py) meters what crosses the WebSocket with a `SocketMeter`; each host
(host.py) watches its runner's events with a `SessionMeter`, an observer that sees every event but audio
whether or not a browser is attached; `sample` reads this process's hosts (sessions per provider, writes
waiting) when a host starts or stops, and every `SAMPLE_SECONDS` while any runs.

Several server processes on one machine share PROMETHEUS_MULTIPROC_DIR (docs/deploy.md): the counters and
histograms add up across them, and the gauges are summed over the processes still alive.
"""

import time
from collections.abc import Callable, Iterable
from typing import Protocol

import numpy as np
from prometheus_client import Counter, Gauge, Histogram

from tutor.events import AudioOut, ClientEvent, Ended, Interrupted, StatusChanged, TurnCompleted

SAMPLE_SECONDS = 5.0
FLUSH_FRAMES = 100  # a socket adds its frames to the process's counters this often (and when it closes)
# A frame whose loudest sample passes about -30 dBFS counts as the student speaking.
VOICED_PEAK = 1000
CONNECTION_CHANGES = {"reconnecting": "reconnect", "switching": "switch", "failover": "failover"}

live_sessions = Gauge(
    "tutor_live_sessions", "Live sessions hosted, by provider.", ["provider"], multiprocess_mode="livesum"
)
frames = Counter("tutor_frames", "WebSocket frames of live sessions.", ["direction", "kind"])
reply_seconds = Histogram(
    "tutor_reply_seconds",
    "End of the student's turn (last voiced audio frame, or a typed message) to the tutor's first audio frame.",
    ["provider"],
    buckets=(0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0, 13.0),
)
connection_changes = Counter(
    "tutor_connection_changes", "Provider connections replaced: reconnect, switch or failover.", ["provider", "kind"]
)
browser_reconnects = Counter("tutor_browser_reconnects", "Browsers that came back to a session already hosted.")
sessions_ended = Counter("tutor_sessions_ended", "Live sessions that ended or were handed off, by reason.", ["reason"])
write_queue = Gauge(
    "tutor_write_queue_depth", "Writes of live sessions waiting for the database.", multiprocess_mode="livesum"
)
write_failures = Counter("tutor_write_failures", "Writes of live sessions that failed an attempt.")

_IN_AUDIO, _IN_TEXT = frames.labels("in", "audio"), frames.labels("in", "text")
_OUT_AUDIO, _OUT_TEXT = frames.labels("out", "audio"), frames.labels("out", "text")


class SocketMeter:
    """One socket's frames and the wait for the tutor's voice. Counted in plain integers and added to the
    process's counters every FLUSH_FRAMES frames, so the audio path pays an addition per frame, not a lock."""

    def __init__(self, provider_of: Callable[[], str], clock: Callable[[], float] = time.monotonic) -> None:
        self._provider_of = provider_of  # the runner's provider now (it changes on failover)
        self._clock = clock
        self._counts = [0, 0, 0, 0]  # in audio, in text, out audio, out text
        self._turn_ended: float | None = None  # when the student's turn last showed an end
        self._tutor_speaking = False

    def audio_in(self, pcm: bytes) -> None:
        self._count(0)
        if not self._tutor_speaking and _voiced(pcm):
            self._turn_ended = self._clock()

    def text_in(self, typed: bool) -> None:
        self._count(1)
        if typed and not self._tutor_speaking:
            self._turn_ended = self._clock()

    def sent(self, event: ClientEvent) -> None:
        match event:
            case AudioOut():
                self._count(2)
                if not self._tutor_speaking and self._turn_ended is not None:
                    reply_seconds.labels(self._provider_of()).observe(self._clock() - self._turn_ended)
                    self._turn_ended = None
                self._tutor_speaking = True
            case TurnCompleted() | Interrupted():
                self._count(3)
                self._tutor_speaking = False
            case _:
                self._count(3)

    def flush(self) -> None:
        for child, index in ((_IN_AUDIO, 0), (_IN_TEXT, 1), (_OUT_AUDIO, 2), (_OUT_TEXT, 3)):
            if self._counts[index]:
                child.inc(self._counts[index])
                self._counts[index] = 0

    def _count(self, index: int) -> None:
        self._counts[index] += 1
        if self._counts[index] >= FLUSH_FRAMES:
            self.flush()


def _voiced(pcm: bytes) -> bool:
    """Whether a PCM16 frame holds speech: its loudest sample (numpy reads the frame in place, in about 4 µs; a
    Python loop over its samples took 70)."""
    if len(pcm) < 2:
        return False
    samples = np.frombuffer(pcm, np.int16, count=len(pcm) // 2)
    return bool(samples.max() > VOICED_PEAK or samples.min() < -VOICED_PEAK)


class SessionMeter:
    """A runner's observer: the provider connections it replaces and how it ends."""

    def __init__(self, provider_of: Callable[[], str]) -> None:
        self._provider_of = provider_of  # the runner's provider now (it changes on failover)

    async def __call__(self, event: ClientEvent) -> None:
        match event:
            case StatusChanged(state=state) if state in CONNECTION_CHANGES:
                connection_changes.labels(self._provider_of(), CONNECTION_CHANGES[state]).inc()
            case Ended(reason=reason):
                sessions_ended.labels(reason).inc()


class Hosted(Protocol):
    """What `sample` reads of a host: its runner's provider and persister."""

    @property
    def provider(self) -> str: ...

    @property
    def writes_waiting(self) -> int: ...

    def take_write_failures(self) -> int:
        """Failed write attempts since the last call."""


_providers_seen: set[str] = set()


def sample(hosts: Iterable[Hosted], gone: Iterable[Hosted] = ()) -> None:
    """This process's live sessions per provider (a provider with none left reads 0), writes waiting, and the
    failed writes of these hosts and of those `gone` (their last ones)."""
    counts: dict[str, int] = dict.fromkeys(_providers_seen, 0)
    waiting = 0
    failed = sum(host.take_write_failures() for host in gone)
    for host in hosts:
        counts[host.provider] = counts.get(host.provider, 0) + 1
        waiting += host.writes_waiting
        failed += host.take_write_failures()
    _providers_seen.update(counts)
    for provider, count in counts.items():
        live_sessions.labels(provider).set(count)
    write_queue.set(waiting)
    if failed:
        write_failures.inc(failed)
