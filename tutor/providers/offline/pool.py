"""Recognition off the event loop's process: a few worker processes shared by every offline session.

A recognition is tens of milliseconds of numpy. On a thread of the server's process it would still hold
the GIL between numpy calls, and every other session's audio would wait for it; in worker processes it
cannot stall them. The workers are started on first use (forkserver: the server's threads are not
copied) and live as long as the process.
"""

import asyncio
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .recognizer import Recognition, Request, run

_lock = threading.Lock()
_executor: ProcessPoolExecutor | None = None


def workers_default() -> int:
    """One worker per core, at most two: the rest of the process needs a core too."""
    return max(1, min(2, (os.cpu_count() or 1)))


def _pool(workers: int) -> ProcessPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            context = multiprocessing.get_context("forkserver")
            _executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        return _executor


def _discard(broken: ProcessPoolExecutor) -> None:
    global _executor
    with _lock:
        if _executor is broken:
            _executor = None
    broken.shutdown(wait=False, cancel_futures=True)


async def recognize(job: Request, *, workers: int) -> Recognition:
    """`recognizer.run(job)` in a worker process; a pool whose worker died is replaced once."""
    loop = asyncio.get_running_loop()
    executor = _pool(workers)
    try:
        return await loop.run_in_executor(executor, run, job)
    except BrokenProcessPool:
        _discard(executor)
    return await loop.run_in_executor(_pool(workers), run, job)
