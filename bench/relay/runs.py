"""One measured configuration of the relay bench: start the upstream and the server (the app on Daphne or
uvicorn, one process or two on Redis; the floor; the raw ASGI relay), run the load, and sample the
server's CPU and memory while the load is in its window."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import psycopg
from psycopg import sql

from config.loop_probe import ENV
from tests.fakes.tls import TestCertificate, make_certificate

from .frames import frame_bytes

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "relay-bench-password"
TURN_SECONDS = 5.0  # a tutor turn every 5 s, as the issue measured (RELAY_TURN_SECONDS changes it: 3600, none)
FRAME_LIMITS = [f"--websocket-max-{kind}-size={4 * 1024 * 1024}" for kind in ("message", "frame")]
SETUP_SCRIPT = """
from django.contrib.auth import get_user_model
from lessons.models import Lesson
User = get_user_model()
for number in range({count}):
    if not User.objects.filter(username=f"student{{number}}").exists():
        User.objects.create_user(username=f"student{{number}}", password="{password}", role="student")
lesson = Lesson.objects.filter(published=True, language__startswith="fr").order_by("pk").first()
Lesson.objects.filter(pk=lesson.pk).update(max_minutes=120)
print("LESSON", lesson.pk)
"""
# Each run starts fresh sessions: the students' sessions of the run before were left open when its server
# stopped (a hand-off), and `POST /api/sessions/` would continue them, on that run's provider.
END_SCRIPT = """
import datetime as dt
try:
    from practice.services.sessions import sessions_end_stale
except ImportError:  # older code (RELAY_APP_ROOT): its sessions carry on, always on the same provider
    pass
else:
    sessions_end_stale(idle_for=dt.timedelta(0))
"""


class RunFailed(RuntimeError):
    """A configuration that gave no result (the load timed out, a server did not start): the bench goes on."""


@dataclass(frozen=True)
class Target:
    """What serves the students: `kind` app, floor or raw; `server` daphne (as `python -m config.server` runs
    it, on uvloop), daphne-asyncio (Daphne's own command, on the standard loop) or uvicorn; `processes` 1 or 2;
    the app's `database` (sqlite, or postgres at RELAY_POSTGRES_URL) and whether it runs with DEBUG on."""

    kind: str
    server: str = "daphne"
    processes: int = 1
    provider: str = "gemini"  # gemini, openai (each against its stand-in) or offline (no service)
    database: str = "sqlite"
    debug: bool = False
    checkout: str = ""  # the app of another checkout (RELAY_BEFORE_ROOT: the code before a change), in the same run
    redis: bool = True  # several processes share Redis; False: each its own in-memory layer (the split's own cost)

    @property
    def name(self) -> str:
        via = "" if self.provider == "gemini" else f" ({self.provider})"
        if self.kind == "floor":
            return f"minimal relay{via}"
        what = ("app" if self.kind == "app" else "raw ASGI relay") + via
        server = {"daphne-asyncio": "Daphne (standard loop)", "daphne": "Daphne", "uvicorn": "uvicorn"}[self.server]
        on = "on Redis" if self.redis else "each on its own (no Redis)"
        two = f", {self.processes} processes {on}" if self.processes > 1 else ""
        if self.kind != "app":
            return f"{what} on {server}{two}"
        database = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[self.database]
        before = f" (before: {Path(self.checkout).name})" if self.checkout else ""
        return f"{what}{before} on {server}{two}, {database}" + (", DEBUG on" if self.debug else "")


@dataclass(frozen=True)
class Measured:
    target: Target
    sessions: int
    frame_ms: int
    load: dict
    cpu_percent: float  # of one core, the server's processes (and their children) together
    rss_mib: float  # the server's processes, at the end of the window
    rss_before_mib: float  # before the students came
    rss_samples: tuple[tuple[float, float], ...] = ()  # (seconds into the window, MiB), for a long run
    # The server's event-loop lag in the window (p50, p99, max ms) and the loop thread's CPU time per 10 ms
    # sleep (busy_p99, busy_max ms), where it was probed (Daphne).
    lag: dict | None = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Bench:
    """The scratch app (database, users, static files) and the certificate, made once for every run."""

    def __init__(self, sessions: int, app_root: Path = ROOT) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="tutor-relay-"))
        self.app_root = app_root
        self.sessions = sessions
        self.certificate: TestCertificate = make_certificate(self.dir)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("RELAY_SETTINGS", "config.settings.base"),
            "DJANGO_SECRET_KEY": "relay-bench-secret-key-relay-bench-secret-key",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SSL_REDIRECT": "false",
            "DJANGO_HSTS_SECONDS": "0",
            "DJANGO_SECURE_COOKIES": "false",
            "TUTOR_DATA_DIR": str(self.dir / "data"),
            "GEMINI_API_KEY": "relay-bench-key",
            "GEMINI_CA_FILE": str(self.certificate.cert_file),
            "OPENAI_API_KEY": "relay-bench-key",
            "OPENAI_CA_FILE": str(self.certificate.cert_file),
            "PYTHONUNBUFFERED": "1",
        }
        # Logging as deployed (docs/deploy.md sets no LOG_LEVEL: INFO, JSON lines) unless the caller says otherwise.
        self.env.pop("LOG_LEVEL", None)
        if level := os.environ.get("RELAY_LOG_LEVEL"):
            self.env["LOG_LEVEL"] = level
        self.env.pop("REDIS_URL", None)
        self.databases = {"sqlite": f"sqlite:///{self.dir / 'db.sqlite3'}"}
        if postgres := os.environ.get("RELAY_POSTGRES_URL"):
            self.databases["postgres"] = postgres
        self._lessons: dict[str, int] = {}
        self.users = [[f"student{number}", PASSWORD] for number in range(sessions)]
        self.runs = 0

    def lesson(self, database: str) -> int:
        """The database made ready once (migrated, static files collected, the demo lessons and the students
        in it); the lesson every student takes."""
        if database not in self._lessons:
            if database not in self.databases:
                raise RunFailed(f"no {database} database: set RELAY_POSTGRES_URL (postgres://user@host:port/name)")
            if database == "postgres":
                _create_database(self.databases[database])
            for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["seed_demo"]):
                self._manage(*command, database=database)
            script = SETUP_SCRIPT.format(count=self.sessions, password=PASSWORD)
            out = self._manage("shell", "-c", script, database=database)
            line = next(line for line in out.splitlines() if line.startswith("LESSON"))
            self._lessons[database] = int(line.split()[1])
        return self._lessons[database]

    def _manage(self, *args: str, database: str) -> str:
        env = {**self.env, "DATABASE_URL": self.databases[database]}
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=self.app_root, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def run(self, target: Target, *, sessions: int, frame_ms: int, warmup_s: float, measure_s: float,
            idle: bool = False, rss_every_s: float = 0.0) -> Measured:  # fmt: skip
        lesson = 0
        if target.kind == "app":
            lesson = self.lesson(target.database)
            self._manage("shell", "-c", END_SCRIPT, database=target.database)
        self.runs += 1
        probes = self.dir / f"run-{self.runs}"
        probes.mkdir()
        upstream = self._upstream(target.provider, frame_ms)
        with upstream as port, self._servers(target, port, probes) as (urls, processes):
            spec = {
                "mode": "app" if target.kind == "app" else "relay",
                "servers": urls, "sessions": sessions, "frame_ms": frame_ms, "warmup_s": warmup_s,
                "measure_s": measure_s, "idle": idle, "users": self.users, "lesson": lesson,
            }  # fmt: skip
            before = _rss(processes)
            load = subprocess.Popen(
                [sys.executable, "-m", "bench.relay.load"], cwd=ROOT, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )  # fmt: skip
            load.stdin.write(json.dumps(spec))
            load.stdin.close()
            cpu_start = wall_start = wall_end = rss = result = None
            cpu = 0.0
            samples: list[tuple[float, float]] = []
            sampling = threading.Event()
            for line in load.stdout:
                if line.startswith("measuring"):
                    cpu_start, wall_start = _cpu(processes), time.monotonic()
                    if rss_every_s:
                        threading.Thread(target=_sample, args=(processes, rss_every_s, samples, sampling)).start()
                elif line.startswith("done"):
                    wall_end = time.monotonic()
                    cpu = (_cpu(processes) - cpu_start) / (wall_end - wall_start) * 100
                    rss = _rss(processes)
                    sampling.set()
                elif line.startswith("{"):
                    result = json.loads(line)
            load.wait()
            if result is None:
                raise RunFailed(f"the load gave no result (exit {load.returncode}); the server logs are in {self.dir}")
            lag = lag_in_window(probes, wall_start, wall_end) if wall_start is not None else None
            return Measured(target, sessions, frame_ms, result, round(cpu, 1), rss or 0.0, before, tuple(samples), lag)

    @contextlib.contextmanager
    def _upstream(self, provider: str, frame_ms: int) -> Iterator[int | None]:
        if provider == "offline":
            yield None
            return
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.relay.upstream", provider, str(port), str(self.certificate.cert_file),
             str(self.certificate.key_file), str(frame_bytes(frame_ms)),
             os.environ.get("RELAY_TURN_SECONDS", str(TURN_SECONDS))],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            process.stdout.readline()  # "ready"
            yield port
        finally:
            process.terminate()
            process.wait()

    @contextlib.contextmanager
    def _servers(
        self, target: Target, upstream_port: int | None, probes: Path
    ) -> Iterator[tuple[list[str], list[psutil.Process]]]:
        upstream = f"https://127.0.0.1:{upstream_port}"
        env = {
            **self.env, "TUTOR_PROVIDER": target.provider, "GEMINI_BASE_URL": upstream,
            "DATABASE_URL": self.databases.get(target.database, ""), "DJANGO_DEBUG": str(target.debug).lower(),
            "OPENAI_BASE_URL": f"{upstream}/v1", "RELAY_UPSTREAM_URL": upstream.replace("https://", "wss://", 1),
            "RELAY_CA_FILE": str(self.certificate.cert_file),
        }  # fmt: skip
        if target.processes > 1 and target.redis:
            env["REDIS_URL"] = os.environ.get("RELAY_REDIS_URL", "redis://127.0.0.1:6379/9")
        started: list[subprocess.Popen] = []
        urls = []
        try:
            for _ in range(target.processes):
                port = free_port()
                command, cwd = self._command(target, port, env["RELAY_UPSTREAM_URL"])
                log = (probes / f"server-{port}.log").open("w")
                probed = {**env, ENV: str(probes / f"lag-{port}.jsonl")}  # read by config.server and serve_raw
                started.append(subprocess.Popen(command, cwd=cwd, env=probed, stdout=log, stderr=subprocess.STDOUT))
                urls.append(f"http://127.0.0.1:{port}")
            for url, process in zip(urls, started, strict=True):
                _wait_until_serving(url, process, target.kind)
            yield urls, [psutil.Process(process.pid) for process in started]
        finally:
            for process in started:
                process.terminate()
            for process in started:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _command(self, target: Target, port: int, upstream: str) -> tuple[list[str], Path]:
        """The server's command line; `upstream` is the stand-in's wss:// URL, for the relays."""
        python, bind = sys.executable, ["-b", "127.0.0.1", "-p", str(port)]
        if target.kind == "floor":
            floor = [python, "-m", "bench.relay.floor", target.provider, str(port), upstream]
            return [*floor, str(self.certificate.cert_file)], ROOT
        if target.kind == "raw":
            app, cwd = "bench.relay.raw_asgi:application", ROOT
        else:
            app = os.environ.get("RELAY_ASGI", "config.asgi:application")
            cwd = Path(target.checkout) if target.checkout else self.app_root
        if target.server == "uvicorn":
            return [python, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port), "--loop", "uvloop",
                    "--ws", "websockets", "--ws-max-size", str(4 * 1024 * 1024), "--log-level", "warning",
                    "--no-access-log", "--lifespan", "on" if target.kind == "app" else "off", app], cwd  # fmt: skip
        if target.server == "daphne-asyncio" or not (cwd / "config" / "server.py").exists():
            return [python, "-m", "daphne", *bind, *FRAME_LIMITS, app], cwd  # Daphne's own command, standard loop
        if target.kind == "raw":
            return [python, "-m", "bench.relay.serve_raw", *bind], cwd
        return [python, "-m", "config.server", *bind], cwd  # as the app is served (uvloop)


def lag_in_window(probes: Path, start: float, end: float) -> dict | None:
    """The probe's samples (config/loop_probe.py) written within the window, of every server process: p50,
    p99 and the worst, in ms. None where no server was probed (uvicorn, the floor)."""
    lags: list[float] = []
    busy: list[float] = []
    collections: list[float] = []
    for path in probes.glob("lag-*.jsonl"):
        for line in path.read_text().splitlines():
            second = json.loads(line)
            if start <= second["at"] <= end:
                lags += second["lag_ms"]
                busy += second["busy_ms"]
                collections += [ms for _generation, ms in second["gc"]]
    if not lags:
        return None
    lags.sort()
    busy.sort()
    return {
        "p50": _nearest(lags, 0.50), "p99": _nearest(lags, 0.99), "max": lags[-1], "samples": len(lags),
        "busy_p99": _nearest(busy, 0.99), "busy_max": busy[-1],
        "gc_over_1ms": len(collections), "gc_max": max(collections, default=0.0),
    }  # fmt: skip


def _nearest(ordered: list[float], quantile: float) -> float:
    return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


def _create_database(url: str) -> None:
    """PostgreSQL's database, made when it is not there yet (Django migrates into an existing one only)."""
    parsed = urllib.parse.urlsplit(url)
    name = parsed.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _wait_until_serving(url: str, process: subprocess.Popen, kind: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    port = int(url.rsplit(":", 1)[1])
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server at {url} exited with {process.returncode}")
        if kind == "app":
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        else:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        time.sleep(0.1)
    raise TimeoutError(f"the server at {url} did not start")


def _family(processes: list[psutil.Process]) -> list[psutil.Process]:
    """The servers and their children (the offline tutor's recognizer runs in worker processes)."""
    return [member for p in processes for member in (p, *p.children(recursive=True))]


def _cpu(processes: list[psutil.Process]) -> float:
    return sum(sum(p.cpu_times()[:2]) for p in _family(processes))


def _rss(processes: list[psutil.Process]) -> float:
    return round(sum(p.memory_info().rss for p in _family(processes)) / 2**20, 1)


def _sample(processes: list[psutil.Process], every_s: float, into: list, stop: threading.Event) -> None:
    started = time.monotonic()
    while not stop.wait(every_s):
        into.append((round(time.monotonic() - started), _rss(processes)))
