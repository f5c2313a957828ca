"""Messages between processes about one live session, as they cross the channel layer: typed here, and
encoded and decoded here only.

The host of a session (in whichever server process holds it) listens on the session's control group for
takeovers from other processes and new summaries from Celery; teachers' live views listen on its watch
group. Each message names its handler the way Channels names a consumer's: "live.summary" → `live_summary`.
"""

from dataclasses import asdict, dataclass, fields
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class TakeOver:
    """Another process has the student's browser now: let go of the session and say so on `reply_to`."""

    type: ClassVar[str] = "live.takeover"
    reply_to: str


@dataclass(frozen=True, slots=True)
class Released:
    """The answer to TakeOver: the old host has written what it had and let go."""

    type: ClassVar[str] = "live.released"
    session: int


@dataclass(frozen=True, slots=True)
class SummaryReady:
    """A summary covering turns up to `through` was written (by Celery)."""

    type: ClassVar[str] = "live.summary"
    through: int


@dataclass(frozen=True, slots=True)
class WatchEvent:
    """One event of the session for teachers' live views, as the protocol text the student's browser got."""

    type: ClassVar[str] = "live.event"
    payload: str


Message = TakeOver | Released | SummaryReady | WatchEvent
_BY_TYPE: dict[str, type[Message]] = {kind.type: kind for kind in (TakeOver, Released, SummaryReady, WatchEvent)}


def control_group(session_id: int) -> str:
    return f"session.{session_id}"


def watch_group(session_id: int) -> str:
    return f"session.{session_id}.watch"


def encode(message: Message) -> dict:
    return {"type": message.type, **asdict(message)}


def decode(raw: dict) -> Message | None:
    """The typed message, or None for a type this process does not know or a malformed body."""
    kind = _BY_TYPE.get(raw.get("type", ""))
    if kind is None:
        return None
    try:
        return kind(**{field.name: raw[field.name] for field in fields(kind)})
    except (KeyError, TypeError):
        return None


def handler_name(message: Message) -> str:
    return message.type.replace(".", "_")
