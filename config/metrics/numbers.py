"""What this machine's processes counted: with PROMETHEUS_MULTIPROC_DIR, every process that writes there, read
together at each scrape (the live gauges of a process that died, a Daphne killed with -9, dropped first);
without, this process's own registry."""

import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector


def gathered() -> CollectorRegistry:
    found = CollectorRegistry()
    folder = settings.PROMETHEUS_MULTIPROC_DIR
    found.register(_Machine(Path(folder)) if folder else _Process())
    return found


class _Process(Collector):
    def collect(self) -> Iterator:
        yield from REGISTRY.collect()


class _Machine(Collector):
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def collect(self) -> Iterator:
        forget_dead_processes(self.folder)
        yield from MultiProcessCollector(None, path=str(self.folder)).collect()


def forget_dead_processes(folder: Path) -> None:
    """Drop the live gauges of processes that are gone (their counters and histograms stay counted)."""
    for file in folder.glob("gauge_live*_*.db"):
        pid = int(file.stem.rsplit("_", 1)[1])
        if not _alive(pid):
            mark_process_dead(pid, str(folder))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
