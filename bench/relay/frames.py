"""Audio frames that carry their own timing: a header of magic, sequence number, the time the student
sent it and the time the upstream received it, in the first 24 bytes of each frame's PCM. CLOCK_MONOTONIC
is one clock for every process on the machine, so each direction's latency is known."""

import struct

MAGIC = b"RLY1"
HEADER = struct.Struct("<4sIdd")  # magic, sequence, sent at, upstream received at
SAMPLE_RATE = 16_000


def frame_bytes(frame_ms: int) -> int:
    return SAMPLE_RATE * frame_ms // 1000 * 2


def stamped(template: bytes, sequence: int, sent_at: float) -> bytes:
    return HEADER.pack(MAGIC, sequence, sent_at, 0.0) + template[HEADER.size :]


def received_upstream(blob: bytes, size: int, at: float) -> bytes:
    """Each frame of a blob (a relay may batch several) with the upstream's arrival time written in."""
    out = bytearray(blob)
    for offset in range(0, len(out) - HEADER.size + 1, size):
        if out[offset : offset + 4] == MAGIC:
            struct.pack_into("<d", out, offset + 16, at)
    return bytes(out)


def headers(blob: bytes, size: int) -> list[tuple[int, float, float]]:
    """(sequence, sent at, upstream received at) of every frame in a blob that came back."""
    found = []
    for offset in range(0, len(blob) - HEADER.size + 1, size):
        magic, sequence, sent, upstream = HEADER.unpack_from(blob, offset)
        if magic == MAGIC:
            found.append((sequence, sent, upstream))
    return found
