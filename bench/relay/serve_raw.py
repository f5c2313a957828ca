"""The raw ASGI relay on Daphne as the app runs on it (config/server.py: uvloop, the same frame limits).
`python -m bench.relay.serve_raw -b HOST -p PORT`."""

import sys

from config.loop_probe import start_if_asked
from config.server import FRAME_LIMITS, CommandLineInterface, twisted_loop

if __name__ == "__main__":
    start_if_asked(twisted_loop)
    CommandLineInterface().run([*FRAME_LIMITS, *sys.argv[1:], "bench.relay.raw_asgi:application"])
