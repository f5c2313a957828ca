"""The cluster run: build the hosts, start everything, let the students talk, break one thing at a time, count."""

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .counting import Phase, back_after, report
from .hosts import Host, Network
from .services import METRICS_TOKEN, ROOT, WORKER_METRICS_PORT, App, Nginx, Postgres, Redis, Worker, app_env
from .students import Student, write_log

SHORT = bool(os.environ.get("CLUSTER_SHORT"))
STUDENTS = 4 if SHORT else 8
SETTLE_S = 8.0 if SHORT else 15.0  # the students talk this long before and after each fault
PG_CUT_S, REDIS_STOP_S = 6.0, 10.0
WORKER_DOWN_S = 5.0
REPORT_WAIT_S = 120.0 if SHORT else 330.0  # how long stuck reports are waited for once a worker is back
LAYOUT = {"edge": ("10",), "app1": ("2",), "app2": ("3",), "data": ("4", "6"), "work": ("5",)}


class Cluster:
    """The hosts and what runs on them."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tutor-cluster-"))
        self.folder.chmod(0o755)  # PostgreSQL runs as its own user, below it
        (self.folder / "logs").mkdir()
        self.net = Network(self.folder / "logs")

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
        _manage_in(hosts["app1"], self.env("app1"), "migrate", "--noinput", "-v", "0")
        _manage_in(hosts["app1"], self.env("app1"), "collectstatic", "--noinput", "-v", "0")
        for app in self.apps:
            app.start()
        self.worker.start()
        self.nginx = Nginx(hosts["edge"], self.apps, self.folder)
        self.nginx.start()

    def tear_down(self) -> None:
        self.net.tear_down()

    def env(self, name: str) -> dict[str, str]:
        base = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
        return app_env(base, data_dir=self.folder / name, database=self.pg.url, redis=self.redis.url,
                       allowed=self.allowed)  # fmt: skip

    def scrape(self) -> str:
        """/metrics of each app host (with the token) and the worker's own port."""
        texts = []
        for url in [f"{app.url}/metrics" for app in self.apps] + [
            f"http://{self.worker.host.address}:{WORKER_METRICS_PORT}/metrics"
        ]:
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
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
    done = subprocess.run(["ip", "netns", "exec", host.netns, sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")


async def talk_and_break(cluster: Cluster, database) -> dict:
    """The students talk; each fault in turn; then what was said against what was stored."""
    made = await asyncio.to_thread(database.sessions, STUDENTS, cluster.nginx.url)
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

    phases.append(phase := Phase("cut PostgreSQL for 6 s", time.monotonic()))
    cluster.net.cut(cluster.data, 0, True)
    await asyncio.sleep(PG_CUT_S)
    cluster.net.cut(cluster.data, 0, False)
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
