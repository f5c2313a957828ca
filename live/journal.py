"""An append-only local journal of the live sessions' writes, so a process killed with writes waiting for the
database loses none of them: each write is appended (flushed at once, fsync'd right after) when the session
submits it, marked done once the database took it, and what a dead process left undone is written again at the
next start (`replay_orphans`).

Each process keeps its own file (`journal-<pid>-<token>.log` in `settings.LIVE_JOURNAL_DIR`), locked while it
lives: a file nobody holds the lock of belongs to a process that is gone. A record is a length-prefixed pickle
(the file is the process's own, never read from elsewhere): `("write", number, entry)`, the entry being
`(session id, store method, args, kwargs)`, or `("done", number)`. A torn last record (killed mid-append) is
ignored: its write had not been tried.

The writes are idempotent where a replay could repeat one the database already took (turns are keyed by
session and index); see docs/architecture.md, "Durability", for the one narrow window that is not covered.
"""

import fcntl
import logging
import os
import pickle
import secrets
import struct
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

log = logging.getLogger(__name__)

HEADER = struct.Struct(">I")
COMPACT_BYTES = 1 << 20  # a file with nothing pending is emptied once it is this large


class SessionJournal:
    """One session's view of the process's journal: the engine's `Journal` (tutor/session/journal.py)."""

    def __init__(self, journal: "JournalFile", session_id: int) -> None:
        self._journal, self._session_id = journal, session_id

    def append(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
        return self._journal.append((self._session_id, method, args, kwargs))

    def done(self, number: int) -> None:
        self._journal.done(number)


class JournalFile:
    """This process's journal; opened on its first write."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._file = None
        self._number = 0
        self._pending: set[int] = set()
        self._unsynced = threading.Event()

    @property
    def path(self) -> Path | None:
        return Path(self._file.name) if self._file else None

    def append(self, entry: tuple) -> int:
        """A write submitted: handed to the system at once, which keeps it through the death of this process, and
        fsync'd by the journal's own thread right after (a crash of the machine), so the event loop never waits
        on the disk."""
        self._open()
        self._number += 1
        self._record(("write", self._number, entry))
        self._unsynced.set()
        self._pending.add(self._number)
        return self._number

    def done(self, number: int) -> None:
        """The database took write `number`. Flushed to the system, which keeps it through the death of this
        process; only a crash of the machine could lose it, and then the write is repeated (see above)."""
        self._pending.discard(number)
        self._record(("done", number))
        if not self._pending and self._file.tell() > COMPACT_BYTES:
            self._file.truncate(0)
            self._file.seek(0)

    def close(self) -> None:
        """Stopped: a file with nothing pending goes; one with writes left is replayed by the next start."""
        if self._file is None:
            return
        path = self.path
        self._file.close()
        self._file = None
        if not self._pending:
            path.unlink(missing_ok=True)

    def _open(self) -> None:
        if self._file is not None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"journal-{os.getpid()}-{secrets.token_hex(4)}.log"
        self._file = open(path, "ab")  # noqa: SIM115 - held open for the life of the process
        fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        threading.Thread(target=self._sync, args=(self._file.fileno(),), name="journal-fsync", daemon=True).start()

    def _record(self, record: tuple) -> None:
        body = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(HEADER.pack(len(body)) + body)
        self._file.flush()

    def _sync(self, descriptor: int) -> None:
        """fsync whenever something was appended since the last one (many appends, one fsync, when they come fast)."""
        while True:
            self._unsynced.wait()
            self._unsynced.clear()
            try:
                os.fsync(descriptor)
            except OSError:  # closed: the process is stopping
                return


def pending(path: Path) -> list[tuple[int, tuple]]:
    """The writes of a journal file never marked done, in the order they were appended: (number, entry)."""
    writes: dict[int, tuple[int, tuple]] = {}
    data = path.read_bytes()
    offset = 0
    while offset + HEADER.size <= len(data):
        (size,) = HEADER.unpack_from(data, offset)
        body = data[offset + HEADER.size : offset + HEADER.size + size]
        if len(body) < size:
            break  # torn by a kill mid-append
        offset += HEADER.size + size
        record = pickle.loads(body)
        if record[0] == "write":
            writes[record[1]] = (record[1], record[2])
        else:
            writes.pop(record[1], None)
    return list(writes.values())


def orphans(directory: Path) -> Iterator[tuple[Path, BinaryIO]]:
    """The journal files of processes that are gone, each locked by this process while it is yielded (with the
    file open for appending, where the replay marks what it wrote)."""
    for path in sorted(directory.glob("journal-*.log")) if directory.is_dir() else ():
        with open(path, "ab") as held:
            try:
                fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live process's own
            yield path, held


def replay_orphans(
    directory: Path, apply: Callable[[tuple], Any], *, retry_every: float = 1.0, attempts: int | None = None
) -> int:
    """Write again what dead processes left undone, in order, waiting for the database as long as it takes
    (or `attempts` tries); each file is removed once all of it is written. Returns the writes replayed."""
    replayed = 0
    for path, held in orphans(directory):
        for number, entry in pending(path):
            tries = 0
            while True:
                tries += 1
                try:
                    apply(entry)
                    break
                except Exception as exc:
                    if attempts is not None and tries >= attempts:
                        raise
                    log.warning("replaying a write of %s failed, trying again: %r", path.name, exc)
                    time.sleep(retry_every)
            body = pickle.dumps(("done", number), protocol=pickle.HIGHEST_PROTOCOL)
            held.write(HEADER.pack(len(body)) + body)
            held.flush()  # a replay cut short goes on from here next time
            replayed += 1
        path.unlink()
        log.info("replayed %s", path.name)
    return replayed
