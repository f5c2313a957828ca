"""Messages between processes about one live session, as they cross the channel layer: typed here, and
encoded and decoded here only.

The host of a session (in whichever server process holds it) listens on the session's control group for
takeovers from other processes, new summaries from Celery and teachers' live views saying they watch; the
views listen on its watch group, where the host publishes each event of the session once, and only while
somebody watches. Each message names its handler the way Channels names a consumer's: "live.summary" →
`live_summary`.
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
class Watching:
    """A teacher's live view listens on the watch group through `channel` (said on joining, when a host asks,
    and every WATCH_RENEW_SECONDS while it stays)."""

    type: ClassVar[str] = "live.watching"
    channel: str


@dataclass(frozen=True, slots=True)
class StoppedWatching:
    type: ClassVar[str] = "live.stopped_watching"
    channel: str


@dataclass(frozen=True, slots=True)
class WhoWatches:
    """A host that starts asks the views already there to say so (they answer Watching)."""

    type: ClassVar[str] = "live.who_watches"


@dataclass(frozen=True, slots=True)
class WatchEvent:
    """One event of the session for teachers' live views: the protocol frame the student's browser got
    (tutor.protocol encodes it), and whether it is the session's last."""

    type: ClassVar[str] = "live.event"
    frame: str
    last: bool = False


# A view renews its Watching this often; a host forgets one it has not heard from for three times as long.
WATCH_RENEW_SECONDS = 30.0

Message = TakeOver | Released | SummaryReady | Watching | StoppedWatching | WhoWatches | WatchEvent
_BY_TYPE: dict[str, type[Message]] = {
    kind.type: kind for kind in (TakeOver, Released, SummaryReady, Watching, StoppedWatching, WhoWatches, WatchEvent)
}


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
