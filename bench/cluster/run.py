"""The cluster run: build the hosts, start everything, let the students talk, break one thing at a time, count."""

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

from tests.fakes.gemini_live import Exchange, FakeGeminiLive, FakeLiveOptions
from tests.fakes.gemini_rest import FakeGeminiRest, FakeRestOptions
from tests.fakes.tls import make_certificate

from . import services
from .counting import Phase, back_after, report
from .hosts import Host, Network
from .services import App, Nginx, Postgres, Redis, Worker, app_env, forward
from .students import Student, write_log

SHORT = bool(os.environ.get("CLUSTER_SHORT"))
TUTOR = os.environ.get("CLUSTER_TUTOR", "gemini")  # gemini (the fakes: costs, goAway switches) or offline
STUDENTS = 4 if SHORT else 8
SETTLE_S = 8.0 if SHORT else 15.0  # the students talk this long before and after each fault
PG_CUT_S, REDIS_STOP_S = 6.0, 10.0
WORKER_DOWN_S = 5.0
GOAWAY_EVERY_S = 30.0  # the fake caps each connection: goAway, then a switch
REPORT_WAIT_S = 330.0  # how long stuck reports are waited for once a worker is back (the target: 5 min)
LAYOUT = {"edge": ("10",), "app1": ("2",), "app2": ("3",), "data": ("4", "6"), "work": ("5",)}


class Cluster:
    """The hosts and what runs on them."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tutor-cluster-"))
        self.folder.chmod(0o755)  # PostgreSQL runs as its own user, below it
        (self.folder / "logs").mkdir()
        self.net = Network(self.folder / "logs")
        self.certificate = make_certificate(self.folder)

    def build(self) -> None:
        hosts = self.net.build(LAYOUT)
        _enter(hosts["edge"].netns)  # this process is a client on the edge host from now on
        data = hosts["data"]
        self.data = data
        self.pg = Postgres(data, data.addresses[0], self.folder)
        self.pg.init()
        self.pg.start()
        self.pg.create_database()
        self.redis = Redis(data, data.addresses[1], self.folder)
        self.redis.start()
        self.allowed = [hosts["edge"].address, hosts["app1"].address, hosts["app2"].address, "localhost"]
        self.apps = [App(hosts["app1"], self.env("app1")), App(hosts["app2"], self.env("app2"))]
        self.worker = Worker(hosts["work"], self.env("work"))
        self.edge = hosts["edge"]
        if TUTOR == "gemini":  # the fakes themselves start with the students (talk_and_break)
            live, rest = services.LIVE_FAKE_PORT, services.REST_FAKE_PORT
            for app in self.apps:
                forward(app.host, "live", "127.0.0.1", live, self.edge.address, live)
            # The worker's GEMINI_BASE_URL names the same port as the apps': there it leads to the REST fake.
            forward(hosts["work"], "rest", "127.0.0.1", live, self.edge.address, rest)
        _manage_in(hosts["app1"], self.env("app1"), "migrate", "--noinput", "-v", "0")
        _manage_in(hosts["app1"], self.env("app1"), "collectstatic", "--noinput", "-v", "0")
        for app in self.apps:
            app.start()
        self.worker.start()
        self.worker.start_beat()
        self.nginx = Nginx(hosts["edge"], self.apps, self.folder)
        self.nginx.start()

    def tear_down(self) -> None:
        self.net.tear_down()

    def env(self, name: str) -> dict[str, str]:
        base = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
        return app_env(base, data_dir=self.folder / name, database=self.pg.url, redis=self.redis.url,
                       allowed=self.allowed, tutor=TUTOR, gemini=f"https://127.0.0.1:{services.LIVE_FAKE_PORT}",
                       ca_file=self.certificate.cert_file)  # fmt: skip

    @contextlib.asynccontextmanager
    async def fakes(self) -> AsyncIterator[FakeGeminiLive | None]:
        """The Gemini Live and REST fakes on this (the edge) host, reached from the others through socat."""
        if TUTOR != "gemini":
            yield None
            return
        script = tuple(Exchange(f"Phrase {n}", f"Très bien, réponse numéro {n}.") for n in range(1, 50))
        options = FakeLiveOptions(api_key=services.GEMINI_KEY, script=script, pace=1.0,
                                  connection_seconds=GOAWAY_EVERY_S, goaway_notice=3.0)  # fmt: skip
        async with FakeGeminiLive(self.certificate, options) as live:
            with FakeGeminiRest(self.certificate, FakeRestOptions(api_key=services.GEMINI_KEY)) as rest:
                for fake, port in ((live, services.LIVE_FAKE_PORT), (rest, services.REST_FAKE_PORT)):
                    fake_port = int(fake.url.rsplit(":", 1)[1])
                    forward(self.edge, f"fake-{port}", self.edge.address, port, "127.0.0.1", fake_port)
                yield live

    def scrape(self) -> str:
        """/metrics of each app host (with the token) and the worker's own port."""
        texts = []
        for url in [f"{app.url}/metrics" for app in self.apps] + [
            f"http://{self.worker.host.address}:{services.WORKER_METRICS_PORT}/metrics"
        ]:
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {services.METRICS_TOKEN}"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    texts.append(f"# ---- {url}\n{response.read().decode()}")
            except OSError as failure:
                texts.append(f"# ---- {url}: {failure}")
        return "\n".join(texts)


def _enter(netns: str) -> None:
    with open(f"/run/netns/{netns}") as handle:
        os.setns(handle.fileno(), os.CLONE_NEWNET)


def _manage_in(host: Host, env: dict[str, str], *args: str) -> None:
    command = ["ip", "netns", "exec", host.netns, sys.executable, "manage.py", *args]
    done = subprocess.run(command, cwd=services.ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")


async def talk_and_break(cluster: Cluster, database) -> dict:
    """The students talk; each fault in turn; then what was said against what was stored."""
    async with cluster.fakes():
        return await _talk_and_break(cluster, database)


async def _talk_and_break(cluster: Cluster, database) -> dict:
    made = await asyncio.to_thread(database.sessions, STUDENTS, cluster.nginx.url, TUTOR)
    students = [
        Student(number, session_id, f"ws://{cluster.nginx.host.address}/ws/sessions/{session_id}/", headers)
        for number, (session_id, headers) in enumerate(made)
    ]
    stop = asyncio.Event()
    tasks = [asyncio.create_task(student.run(stop)) for student in students]
    phases = [Phase("before the faults", time.monotonic())]
    await asyncio.sleep(SETTLE_S)

    phases.append(phase := Phase("kill -9 an app host's Daphne", time.monotonic()))
    cluster.apps[0].kill9()
    phase.ended = time.monotonic()
    await asyncio.sleep(SETTLE_S)
    await asyncio.to_thread(cluster.apps[0].start)  # the host comes back (and replays what it had journaled)
    await asyncio.sleep(SETTLE_S)

    phases.append(phase := Phase("PostgreSQL's network cut for 6 s (packets dropped)", time.monotonic()))
    cluster.net.cut(cluster.data, 0, True)
    await asyncio.sleep(PG_CUT_S)
    cluster.net.cut(cluster.data, 0, False)
    phase.ended = time.monotonic()
    await asyncio.sleep(SETTLE_S)

    phases.append(phase := Phase("PostgreSQL down for 6 s (connections closed, refused)", time.monotonic()))
    await asyncio.to_thread(cluster.pg.stop)
    await asyncio.sleep(max(0.0, PG_CUT_S - (time.monotonic() - phase.started)))
    await asyncio.to_thread(cluster.pg.start)
    phase.ended = time.monotonic()
    await asyncio.sleep(SETTLE_S)

    phases.append(phase := Phase("stop Redis for 10 s while browsers reconnect", time.monotonic()))
    cluster.redis.stop()
    for student in students:
        student.drop()
    await asyncio.sleep(REDIS_STOP_S)
    await asyncio.to_thread(cluster.redis.start)
    phase.ended = time.monotonic()
    await asyncio.sleep(SETTLE_S)

    phases.append(phase := Phase("kill the worker mid-report", time.monotonic()))
    reporting = students[: max(1, len(students) // 4)]
    for student in reporting:
        student.stopping = True
        await student.end()
    phase.notes = await asyncio.to_thread(database.kill_worker_mid_report, [s.session_id for s in reporting],
                                          cluster.worker)  # fmt: skip
    await asyncio.sleep(WORKER_DOWN_S)
    await asyncio.to_thread(cluster.worker.start)
    phase.ended = time.monotonic()
    phase.notes |= await asyncio.to_thread(database.reports_written, [s.session_id for s in reporting], REPORT_WAIT_S)
    await asyncio.sleep(SETTLE_S)
    sample = await asyncio.to_thread(cluster.scrape)  # during the run: the other students still talking

    talking = [student for student in students if not student.stopping]
    statuses = await asyncio.to_thread(database.statuses, [s.session_id for s in talking])
    stop.set()
    for student in talking:
        await student.end()
    await asyncio.wait(tasks, timeout=30)
    write_log(students, cluster.folder / "students.jsonl")
    stored = await asyncio.to_thread(database.student_turns, [s.session_id for s in students])
    return {
        "phases": report(phases, students, stored),
        "live_again": {
            phase.name: back_after(students, phase, until)
            for phase, until in zip(phases[1:], [p.started for p in phases[2:]] + [float("inf")], strict=True)
        },
        "ended_under_a_live_student": sum(1 for status in statuses.values() if status != "live"),
        "statuses_before_the_end": statuses,
        "metrics_sample": sample,
        "folder": str(cluster.folder),
    }
