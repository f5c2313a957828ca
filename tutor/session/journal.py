"""Where a session's writes are kept until the store has them, so a process that dies with writes waiting (the
database away) loses none: each write is appended, by the name of the `SessionStore` method that makes it and
its arguments, when it is submitted, and marked done once the store took it. The host gives the runner one on
disk (live/journal.py), replayed at the next start; the engine alone keeps none (`NoJournal`)."""

from typing import Any, Protocol


class Journal(Protocol):
    def append(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int: ...

    def done(self, number: int) -> None: ...


class NoJournal:
    def append(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
        return 0

    def done(self, number: int) -> None:
        return None
