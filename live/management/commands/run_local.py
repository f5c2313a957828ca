"""manage.py run_local: Daphne and a Celery worker together, both stopped by one Ctrl-C (`make run`)."""

import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lessons.demo import DEMO_PASSWORD, DEMO_STUDENTS, DEMO_TEACHER

from ...health import ping


class Command(BaseCommand):
    help = "Serve the app on Daphne with a Celery worker beside it (embedded broker unless REDIS_URL is set)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host: str, port: int, **options) -> None:
        if _port_taken(host, port):
            raise CommandError(f"{host}:{port} is already in use: stop the other server or pass --port.")
        # --beat: the periodic sessions_end_stale_task runs inside this one worker.
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--pool=threads",
             "--concurrency=4", "--loglevel=WARNING", "--without-gossip", "--without-mingle"]
        )  # fmt: skip
        # Daphne on uvloop, with the protocol's frame limits (config/server.py).
        server = subprocess.Popen([sys.executable, "-m", "config.server", "-b", host, "-p", str(port)])
        children = (server, worker)
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        try:
            self._wait_for_port(host, port, server)
            self._announce(host, port)
            self._ping_worker()
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

    def _announce(self, host: str, port: int) -> None:
        logins = ", ".join(name for name, *_ in (DEMO_TEACHER, *DEMO_STUDENTS))
        self.stdout.write(self.style.SUCCESS(f"\nThe tutor is running at http://{host}:{port}/"))
        self.stdout.write(f"  Demo logins: {logins}   password: {DEMO_PASSWORD}")
        provider, database = settings.TUTOR.default_provider(), settings.DATABASES["default"]["ENGINE"]
        self.stdout.write(f"  Tutor provider: {provider}   database: {database}")
        self.stdout.write("  Press Ctrl-C to stop the server and the worker.\n")

    def _ping_worker(self) -> None:
        try:
            answer = ping.apply_async().get(timeout=30)
        except Exception as exc:  # any failure is worth telling the person at the terminal
            self.stdout.write(self.style.WARNING(f"  The Celery worker did not answer a ping: {exc}"))
        else:
            self.stdout.write(f"  Celery worker answered ping: {answer}")


def _raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _port_taken(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def _stop(children: tuple[subprocess.Popen, ...]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
