"""Browser protocol v1 (docs/protocol.md): client messages parsed and checked, server events encoded.

Parsing never trusts the client: every field is type-checked and size-limited, and whatever is wrong
raises ProtocolError with a code and a message the browser can show.
"""

import base64
import binascii
import json
from dataclasses import asdict, dataclass

from .events import (
    NOTE_TYPES,
    AudioIn,
    AudioOut,
    ClientEvent,
    ClientInput,
    Ducking,
    Ended,
    EndRequested,
    HelpOffered,
    ImageIn,
    Interrupted,
    Listening,
    MicChanged,
    PlaybackReport,
    Ready,
    SavingChanged,
    SessionError,
    StatusChanged,
    TextIn,
    TranscriptUpdate,
    TurnCompleted,
    VideoFrameIn,
)

VERSION = 1
# Close codes of the session and watch sockets (docs/protocol.md).
CLOSE_FORBIDDEN = 4403
CLOSE_REPLACED = 4409
CLOSE_GONE = 4410
CLOSE_TOO_FAST = 4429
CLOSE_UNAVAILABLE = 4503  # the database or the channel layer does not answer: try again (docs/protocol.md)
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")


@dataclass(frozen=True)
class Limits:
    max_audio_frame_bytes: int = 6400
    max_image_bytes: int = 2 * 1024 * 1024
    max_text_chars: int = 2000

    @property
    def max_message_chars(self) -> int:
        """A JSON text frame may hold a base64 picture: 4/3 of its bytes, plus the envelope."""
        return self.max_image_bytes * 4 // 3 + 1024


class ProtocolError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse_binary(data: bytes, limits: Limits) -> AudioIn:
    if len(data) > limits.max_audio_frame_bytes:
        raise ProtocolError(
            "too_large", f"Audio frames may be at most {limits.max_audio_frame_bytes} bytes (got {len(data)})."
        )
    if len(data) % 2:
        raise ProtocolError("bad_audio", "Audio frames are 16-bit samples: an even number of bytes.")
    return AudioIn(pcm=data)


def parse_text(text: str, limits: Limits) -> ClientInput:
    if len(text) > limits.max_message_chars:
        raise ProtocolError("too_large", "The message is too large.")
    try:
        message = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProtocolError("bad_json", f"Not valid JSON: {exc.msg}.") from None
    except RecursionError:  # nested deeper than the parser goes: no message of the protocol is
        raise ProtocolError("bad_json", "Not valid JSON: nested too deeply.") from None
    except ValueError:  # e.g. an integer of more digits than Python converts
        raise ProtocolError("bad_json", "Not valid JSON: a number too large.") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("bad_message", 'A message is a JSON object with a "type".')
    match message["type"]:
        case "text":
            body = _string(message, "text").strip()
            if not body:
                raise ProtocolError("bad_message", "The text is empty.")
            if len(body) > limits.max_text_chars:
                raise ProtocolError("too_large", f"Messages may be at most {limits.max_text_chars} characters.")
            return TextIn(text=body)
        case "image":
            return _image(message, limits)
        case "mic":
            state = message.get("state")
            if state not in ("on", "off"):
                raise ProtocolError("bad_message", '"state" must be "on" or "off".')
            return MicChanged(on=state == "on")
        case "playback":
            turn, played_ms = message.get("turn"), message.get("played_ms")
            if not _whole(turn) or not _whole(played_ms):
                raise ProtocolError("bad_message", '"turn" and "played_ms" must be whole numbers, 0 or more.')
            return PlaybackReport(turn=turn, played_ms=played_ms)
        case "end":
            return EndRequested()
        case other:
            raise ProtocolError("unknown_type", f"Unknown message type {other[:40]!r}.")


def _string(message: dict, name: str) -> str:
    value = message.get(name)
    if not isinstance(value, str):
        raise ProtocolError("bad_message", f'"{name}" must be a string.')
    return value


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _image(message: dict, limits: Limits) -> ImageIn | VideoFrameIn:
    """A picture, or with `"stream": true` a frame of a shared camera or screen (checked the same way)."""
    stream = message.get("stream", False)
    if not isinstance(stream, bool):
        raise ProtocolError("bad_message", '"stream" must be true or false.')
    mime = _string(message, "mime")
    if mime not in IMAGE_TYPES:
        raise ProtocolError("bad_image", f"Pictures must be one of {', '.join(IMAGE_TYPES)}.")
    encoded = _string(message, "data")
    if len(encoded) > limits.max_image_bytes * 4 // 3 + 4:
        raise ProtocolError("too_large", f"Pictures may be at most {limits.max_image_bytes // 1024} KiB.")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ProtocolError("bad_image", "The picture is not valid base64.") from None
    if not data or not _looks_like(mime, data):
        raise ProtocolError("bad_image", f"The data is not a {mime} picture.")
    return VideoFrameIn(data=data, mime=mime) if stream else ImageIn(data=data, mime=mime)


def _looks_like(mime: str, data: bytes) -> bool:
    """Check the file signature, so a mislabelled upload is refused here rather than by the provider."""
    return {
        "image/jpeg": data[:3] == b"\xff\xd8\xff",
        "image/png": data[:8] == b"\x89PNG\r\n\x1a\n",
        "image/webp": data[:4] == b"RIFF" and data[8:12] == b"WEBP",
    }[mime]


def encode(event: ClientEvent, **extra) -> str | bytes:
    """Binary for audio, a JSON text frame for everything else."""
    match event:
        case AudioOut(pcm=pcm):
            return pcm
        case Ready():
            body = {"type": "ready", "version": VERSION, **asdict(event)}
        case TranscriptUpdate():
            body = {"type": "transcript", **asdict(event)}
        case Interrupted():
            body = {"type": "interrupted"}
        case TurnCompleted(turn=turn):
            body = {"type": "turn_complete", "turn": turn}
        case note if isinstance(note, NOTE_TYPES):  # every kind of note the same way: its kind and its fields
            body = {"type": note.kind, **asdict(note)}
        case StatusChanged(state=state):
            body = {"type": "status", "state": state}
        case SavingChanged(state=state):
            body = {"type": "saving", "state": state}
        case Listening(state=state, ends_after_ms=ends_after_ms):
            body = {"type": "listening", "state": state, "ends_after_ms": ends_after_ms}
        case Ducking(on=on):
            body = {"type": "duck", "on": on}
        case HelpOffered(count=count):
            body = {"type": "help", "count": count}
        case SessionError():
            body = {"type": "error", **asdict(event)}
        case Ended(reason=reason):
            body = {"type": "ended", "reason": reason}
        case _:
            raise TypeError(f"no protocol message for {type(event).__name__}")
    return json.dumps({**body, **extra}, ensure_ascii=False)


def error(code: str, message: str, *, fatal: bool = False, **extra) -> str:
    return encode(SessionError(code=code, message=message, fatal=fatal), **extra)
