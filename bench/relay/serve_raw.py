"""The raw ASGI relay on Daphne as the app runs on it (config/server.py: uvloop, the same frame limits).
`python -m bench.relay.serve_raw -b HOST -p PORT`."""

import sys

from config.server import FRAME_LIMITS, CommandLineInterface

if __name__ == "__main__":
    CommandLineInterface().run([*FRAME_LIMITS, *sys.argv[1:], "bench.relay.raw_asgi:application"])
