"""The fault run (`make soak`): one long live session through the whole stack, counting every turn.

A Daphne process (Gemini provider, pointed at the TLS fake), a real Celery worker writing summaries with
the Gemini text model (REST fake), and a protocol client that plays the student: typed and spoken turns
in turn, on a fake service that sends goAway every 15 s, while summaries come every 24 turns. In the
middle the run breaks things: the provider drops mid-answer, the worker is stopped (and started again),
and the server process is restarted. At the end it counts, from the database, what the student sent and
what was stored (lost, duplicated, unanswered), and how long the student waited to be live again after
each fault; and what the service was made to hold and bill: whether every summary was followed by a fresh
connection carrying it within 60 s, how many connections resumed with a handle older than the newest the service
had issued, the peak of the context against the budget, and the tokens the fakes billed (the live service and a
text model that answers some calls badly) against the tokens in the usage rows. Each mode (embedded defaults;
Redis) runs in its own process and prints one JSON line.
"""

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit

import django

MODES = ("embedded", "redis")


def main(mode: str) -> None:
    data_dir = tempfile.mkdtemp(prefix=f"tutor-soak-{mode}-")
    os.environ.update(
        TUTOR_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="tests.e2e.gemini_settings",
        CELERY_TASK_ALWAYS_EAGER="false",
        GEMINI_API_KEY="test-key",
        GEMINI_BASE_URL="https://127.0.0.1:1",  # replaced by the fake's address before Daphne starts
    )
    os.environ.pop("DATABASE_URL", None)  # a scratch SQLite file: never a real database
    if mode == "embedded":
        os.environ.pop("REDIS_URL", None)
    else:
        os.environ["REDIS_URL"] = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/7")
    django.setup()
    # Imported only now: the settings it loads read the environment set above.
    from .soak_run import soak

    print(json.dumps(asyncio.run(soak(mode, data_dir))), flush=True)


def run_all() -> list[dict]:
    """Each mode in its own process (settings are read once per process)."""
    results = []
    for mode in MODES:
        if mode == "redis" and not _redis_answers():
            print("redis mode skipped: no Redis answers at SOAK_REDIS_URL (redis://127.0.0.1:6379/7)")
            continue
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "bench.soak", mode], capture_output=True, text=True)
        line = next((line for line in reversed(done.stdout.splitlines()) if line.startswith("{")), None)
        if done.returncode or line is None:
            print(f"{mode}: the run failed\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
            continue
        result = json.loads(line)
        result["took_s"] = round(time.monotonic() - started, 1)
        results.append(result)
    return results


def _redis_answers() -> bool:
    address = urlsplit(os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/7"))
    with contextlib.suppress(OSError), socket.create_connection((address.hostname, address.port or 6379), 1):
        return True
    return False


def print_results(results: list[dict]) -> None:
    keys = [key for key in results[0] if key != "mode"] if results else []
    print(f"{'measure':38}" + "".join(f"{r['mode']:>14}" for r in results))
    for key in keys:
        print(f"{key:38}" + "".join(f"{r.get(key)!s:>14}" for r in results))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in MODES:
        main(sys.argv[1])
    else:
        print_results(run_all())
