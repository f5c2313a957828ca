"""`python -m config.server -b HOST -p PORT [Daphne's options]`: this app on Daphne, on uvloop's event loop,
with the frame limits the browser protocol needs.

Daphne's Twisted reactor runs on whichever asyncio loop exists when Daphne is first imported, so the
loop is chosen before that import. On uvloop Daphne spends a fifth less CPU per frame than on the
standard loop (docs/performance.md); where uvloop is not installed (Windows) the standard loop serves.
The limits sit above the protocol's own, so an oversized frame reaches the app and gets its
`too_large` answer (docs/protocol.md), where Daphne's default, 1 MiB, would drop the connection.
"""

import asyncio
import sys

try:
    import uvloop
except ImportError:  # pragma: no cover - Windows has no uvloop
    uvloop = None

if uvloop is not None:
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())

# Imported only now, once the loop is chosen (see above).
from daphne.cli import CommandLineInterface
from daphne.server import twisted_loop

from .loop_probe import start_if_asked

APPLICATION = "config.asgi:application"
WEBSOCKET_MAX_BYTES = 4 * 1024 * 1024
FRAME_LIMITS = [f"--websocket-max-{kind}-size={WEBSOCKET_MAX_BYTES}" for kind in ("message", "frame")]


def arguments(given: list[str]) -> list[str]:
    """Daphne's command line: the limits first, so options given on the command line win over them."""
    return [*FRAME_LIMITS, *given, APPLICATION]


if __name__ == "__main__":
    start_if_asked(twisted_loop)  # the bench's event-loop lag probe, only when TUTOR_LOOP_PROBE asks for it
    CommandLineInterface().run(arguments(sys.argv[1:]))
