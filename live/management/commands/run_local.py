"""manage.py run_local: Daphne and a Celery worker together, both stopped by one Ctrl-C (`make run`).

The console stays quiet (no Celery banner, no warnings meant for production), and its last lines are the
address to open and the logins to use."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lessons.demo import DEMO_PASSWORD, DEMO_STUDENTS, DEMO_TEACHER

from ...health import ping

# The worker warns about running as root, which a development container often does; this is the local
# path, not a deployment (docs/deploy.md runs workers as their own user).
WORKER_WARNINGS = "ignore:You're running the worker with superuser privileges"
# How long Daphne (handing its sessions off) and the worker (finishing a task) may take to stop before they are
# killed: a busy machine is slow.
STOP_SECONDS = 30


class Command(BaseCommand):
    help = "Serve the app on Daphne with a Celery worker beside it (embedded broker unless REDIS_URL is set)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="the address to serve on (make run HOST=…)")
        parser.add_argument("--port", type=int, default=8000, help="the port to serve on (make run PORT=…)")

    def handle(self, *args, host: str, port: int, **options) -> None:
        if _port_taken(host, port):
            raise CommandError(
                f"{host}:{port} is already in use: stop the other server, or choose another port: "
                f"make run PORT={port + 1}"
            )
        # --beat: the periodic sessions_end_stale_task runs inside this one worker.
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "--quiet", "worker", "--beat", "--pool=threads",
             "--concurrency=4", "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
            env={**os.environ, "PYTHONWARNINGS": WORKER_WARNINGS}, start_new_session=True,
        )  # fmt: skip
        # Daphne on uvloop, with the protocol's frame limits (config/server.py).
        server = subprocess.Popen(
            [sys.executable, "-m", "config.server", "-b", host, "-p", str(port)], start_new_session=True
        )
        children = (server, worker)
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        try:
            self._wait_for_port(host, port, server)
            worker_state = self._ping_worker()
            self._announce(host, port, worker_state)
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            raise CommandError("Daphne or the Celery worker stopped; see the messages above.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping…")
        finally:
            _stop(children)

    def _wait_for_port(self, host: str, port: int, server: subprocess.Popen) -> None:
        deadline = time.monotonic() + 60
        while not _port_taken(host, port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise CommandError("Daphne did not start; see the messages above.")
            time.sleep(0.2)

    def _ping_worker(self) -> str:
        """Wait for the worker before announcing, so nothing it prints while starting comes after the logins."""
        try:
            ping.apply_async().get(timeout=30)
        except Exception as exc:  # any failure is worth telling the person at the terminal
            return self.style.WARNING(f"did not answer ({exc}): reports and summaries wait until it does")
        return "ready"

    def _announce(self, host: str, port: int, worker_state: str) -> None:
        provider, database = settings.TUTOR.default_provider(), settings.DATABASES["default"]["ENGINE"]
        self.stdout.write(f"\n  Tutor: {provider} · database: {database.rsplit('.', 1)[-1]} · worker: {worker_state}")
        self.stdout.write("  Ctrl-C stops the server and the worker.")
        self.stdout.write(self.style.SUCCESS(f"\nThe tutor is running at http://{_shown_host(host)}:{port}/"))
        students = ", ".join(name for name, *_ in DEMO_STUDENTS)
        self.stdout.write(
            f"  Log in as {DEMO_TEACHER[0]} (teacher) or {students} (students), password: {DEMO_PASSWORD}\n"
        )


def _shown_host(host: str) -> str:
    """The address a browser on this machine opens: 0.0.0.0 listens everywhere, but is no address to visit."""
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host


def _raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _port_taken(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((_shown_host(host), port)) == 0


def _stop(children: tuple[subprocess.Popen, ...]) -> None:
    """SIGTERM to each child's process group (Daphne hands its sessions off, the worker finishes its task), then
    SIGKILL to whatever of the group is left: a worker's embedded beat or a recognizer process must not outlive
    `make run` (nor hold its terminal's output open)."""
    for child in children:
        if child.poll() is None:
            _signal_group(child, signal.SIGTERM)
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=STOP_SECONDS)
        _signal_group(child, signal.SIGKILL)
        child.wait()


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signum)
