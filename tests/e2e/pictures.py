"""A picture for the upload tests: a PNG larger than the page sends, made without an imaging library."""

import struct
import zlib
from pathlib import Path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png(path: Path, width: int, height: int) -> Path:
    """An RGB PNG with a horizontal gradient, so it is not one flat colour."""
    row = b"\x00" + bytes(value for x in range(width) for value in (x * 255 // width, 120, 200))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(row * height, 6))
    path.write_bytes(png + _chunk(b"IEND", b""))
    return path
