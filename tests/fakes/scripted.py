"""A scripted in-memory provider for runner tests: the test pushes provider events and drops
connections by hand, and reads back what the runner sent."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from tutor.brief import SessionSetup
from tutor.events import ProviderError, ProviderEvent


@dataclass
class ScriptedConnection:
    setup: SessionSetup
    audio: list[bytes] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    images: list[tuple[bytes, str]] = field(default_factory=list)
    video_frames: list[tuple[bytes, str]] = field(default_factory=list)
    tool_results: list[tuple[str, str, dict]] = field(default_factory=list)
    played: list[int] = field(default_factory=list)
    activity: list[str] = field(default_factory=list)  # "start", "start interrupting", "end", in order
    nudges: list[str] = field(default_factory=list)
    audio_stream_ends: int = 0
    closed: bool = False
    _queue: asyncio.Queue = field(default_factory=asyncio.Queue)

    def push(self, *events: ProviderEvent) -> None:
        for event in events:
            self._queue.put_nowait(event)

    def drop(self, error: ProviderError | None = None) -> None:
        """End the connection from the provider's side, optionally announcing an error first."""
        if error is not None:
            self._queue.put_nowait(error)
        self._queue.put_nowait(None)

    async def send_audio(self, pcm16_16k: bytes) -> None:
        self._check_open()
        self.audio.append(pcm16_16k)

    async def send_text(self, text: str) -> None:
        self._check_open()
        self.texts.append(text)

    async def send_image(self, data: bytes, mime: str) -> None:
        self._check_open()
        self.images.append((data, mime))

    async def send_video_frame(self, data: bytes, mime: str) -> None:
        self._check_open()
        self.video_frames.append((data, mime))

    async def send_tool_result(self, call_id: str, name: str, result: dict) -> None:
        self._check_open()
        self.tool_results.append((call_id, name, result))

    async def end_audio_stream(self) -> None:
        self.audio_stream_ends += 1

    async def playback_heard(self, played_ms: int) -> None:
        self.played.append(played_ms)

    async def activity_start(self, *, interrupting: bool) -> None:
        self.activity.append("start interrupting" if interrupting else "start")

    async def activity_end(self) -> None:
        self.activity.append("end")

    async def nudge(self, instruction: str) -> None:
        self._check_open()
        self.nudges.append(instruction)

    async def events(self) -> AsyncIterator[ProviderEvent]:
        while (event := await self._queue.get()) is not None:
            yield event

    async def close(self) -> None:
        self.closed = True
        self._queue.put_nowait(None)

    def _check_open(self) -> None:
        if self.closed:
            raise ConnectionError("connection closed")


class ScriptedProvider:
    name = "scripted"
    resumption_keeps_input = False
    input_rate = 16_000
    output_rate = 24_000

    def __init__(self, *, connect_failures: list[Exception] | None = None, app_turns: bool = False) -> None:
        self.app_turns = app_turns  # the runner tells it when the student's turns start and end
        self.connections: list[ScriptedConnection] = []
        self.connect_failures = list(connect_failures or [])
        self.connected = asyncio.Event()
        self.gate: asyncio.Event | None = None  # set by a test: each connect waits until it is set

    async def connect(self, setup: SessionSetup) -> ScriptedConnection:
        if self.gate is not None:
            await self.gate.wait()
        if self.connect_failures:
            raise self.connect_failures.pop(0)
        connection = ScriptedConnection(setup=setup)
        self.connections.append(connection)
        self.connected.set()
        return connection

    @property
    def current(self) -> ScriptedConnection:
        return self.connections[-1]

    async def wait_for_connections(self, count: int, timeout: float = 30) -> ScriptedConnection:
        async with asyncio.timeout(timeout):
            while len(self.connections) < count:
                await asyncio.sleep(0.01)
        return self.connections[count - 1]
