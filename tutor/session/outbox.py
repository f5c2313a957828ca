"""The queue of events on their way to the browser; an interruption drops the tutor audio in it."""

import asyncio
from collections import deque

from ..events import AudioOut, ClientEvent


class Outbox:
    """Unbounded for events, bounded for audio: a stalled browser never makes the server hoard sound."""

    def __init__(self, max_audio_chunks: int = 500) -> None:
        self._items: deque[ClientEvent] = deque()
        self._audio_chunks = 0
        self._max_audio_chunks = max_audio_chunks
        self._ready = asyncio.Event()

    def put(self, event: ClientEvent) -> None:
        if isinstance(event, AudioOut):
            if self._audio_chunks >= self._max_audio_chunks:
                return
            self._audio_chunks += 1
        self._items.append(event)
        self._ready.set()

    def flush_audio(self) -> int:
        """Drop queued tutor audio at once (pipecat's interruption); returns how many chunks went."""
        kept = deque(e for e in self._items if not isinstance(e, AudioOut))
        dropped = len(self._items) - len(kept)
        self._items, self._audio_chunks = kept, 0
        return dropped

    def clear(self) -> None:
        self._items.clear()
        self._audio_chunks = 0

    async def get(self) -> ClientEvent:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        event = self._items.popleft()
        if isinstance(event, AudioOut):
            self._audio_chunks -= 1
        return event

    def __len__(self) -> int:
        return len(self._items)
