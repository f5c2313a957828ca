"""How late the event loop wakes a 10 ms sleep: the stalls a frame waits behind, seen from inside the server.
A bench-only hook (`TUTOR_LOOP_PROBE=path`, read by `python -m config.server`): once a second the probe
appends one line to the file, `{"at": CLOCK_MONOTONIC seconds, "lag_ms": [...]}`, so a bench keeps the
samples of its own window (the clock is the machine's, the same in every process; bench/relay/runs.py).

Beside each lag, `busy_ms`: the CPU time the loop's thread spent during that sleep. A late wake with the thread
busy is work on the loop (a callback that runs too long); a late wake with the thread idle is waiting for the
GIL (another thread of the process holds it) or for a core (a loaded machine). And `gc`: each collection of
the garbage collector over 1 ms that second, as [generation, ms]."""

import asyncio
import gc
import json
import os
import time

ENV = "TUTOR_LOOP_PROBE"
SLEEP_S = 0.010
FLUSH_S = 1.0


class Collections:
    """The garbage collector's pauses, timed by its own callback (any thread's)."""

    def __init__(self) -> None:
        self.pauses: list[list[float]] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif (ms := (time.perf_counter() - self._started) * 1000) >= 1.0:
            self.pauses.append([info["generation"], round(ms, 2)])

    def take(self) -> list[list[float]]:
        pauses, self.pauses = self.pauses, []
        return pauses


async def probe(path: str) -> None:
    """Sleep 10 ms, again and again; each wake's lateness in ms, written once a second."""
    lags: list[float] = []
    busy: list[float] = []
    collections = Collections()
    gc.callbacks.append(collections)
    flushed = time.monotonic()
    with open(path, "a", encoding="utf-8") as out:  # noqa: ASYNC230 - opened once; a line a second is written
        while True:
            asked, cpu = time.monotonic(), time.thread_time()
            await asyncio.sleep(SLEEP_S)
            woke = time.monotonic()
            busy.append(round((time.thread_time() - cpu) * 1000, 2))
            lags.append(round(max(0.0, (woke - asked - SLEEP_S) * 1000), 2))
            if woke - flushed >= FLUSH_S:
                out.write(
                    json.dumps({"at": round(woke, 3), "lag_ms": lags, "busy_ms": busy, "gc": collections.take()}) + "\n"
                )
                out.flush()
                lags, busy, flushed = [], [], woke


def start_if_asked(loop: asyncio.AbstractEventLoop) -> None:
    """Start the probe on `loop` once it runs, when TUTOR_LOOP_PROBE names a file; otherwise nothing."""
    if path := os.environ.get(ENV):
        loop.call_soon(lambda: loop.create_task(probe(path), name="loop-probe"))
