"""The students: N of them log in, create a session (`POST /api/sessions/`), open its socket, wait until it
is live, then stream stamped PCM16 frames in real time and read the tutor's audio back. On a relay (the
floor, the raw ASGI relay) they connect straight to its socket. Prints `measuring` when the warm-up is
over, `done` when the window closes, then one JSON line of results.

`python -m bench.relay.load` with a JSON spec on standard input: {"mode": "app" | "relay", "servers":
[base URLs], "sessions": N, "frame_ms": 20 | 40, "warmup_s", "measure_s", "idle": bool, "users":
[[username, password], ...], "lesson": id}.
"""

import asyncio
import http.cookiejar
import json
import re
import statistics
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import uvloop
from websockets.asyncio.client import connect

from .frames import frame_bytes, headers, stamped

GRACE_S = 2.0  # how long after the window a frame may still come back


@dataclass
class Student:
    url: str  # the socket
    headers: dict[str, str]
    sent: dict[int, float] = field(default_factory=dict)  # sequence -> sent at, in the window
    back: dict[int, tuple[float, float]] = field(default_factory=dict)  # sequence -> (upstream at, back at)
    live: asyncio.Event = field(default_factory=asyncio.Event)
    error: str = ""


def log_in(base: str, username: str, password: str, lesson: int) -> tuple[str, dict[str, str]]:
    """A real login and a real session, as the page makes them: the socket's URL and its headers."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    opener.open(
        urllib.request.Request(f"{base}/accounts/login/", data=form.encode(), headers={"Origin": base}), timeout=30
    )
    cookies = {cookie.name: cookie.value for cookie in jar}
    request = urllib.request.Request(
        f"{base}/api/sessions/",
        data=json.dumps({"lesson": lesson}).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": cookies["csrftoken"], "Origin": base},
    )
    created = json.loads(opener.open(request, timeout=30).read())
    cookie = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    return base.replace("http", "ws") + created["ws_url"], {"Cookie": cookie, "Origin": base}


async def run(spec: dict) -> dict:
    servers, count = spec["servers"], spec["sessions"]
    size = frame_bytes(spec["frame_ms"])
    template = bytes(size)
    if spec["mode"] == "app":
        with ThreadPoolExecutor(max_workers=8) as pool:
            loop = asyncio.get_running_loop()
            made = await asyncio.gather(*(
                loop.run_in_executor(pool, log_in, servers[i % len(servers)], *spec["users"][i], spec["lesson"])
                for i in range(count)
            ))  # fmt: skip
        students = [Student(url, head) for url, head in made]
    else:
        students = [
            Student(f"{servers[i % len(servers)].replace('http', 'ws')}/ws/sessions/{i}/", {}) for i in range(count)
        ]
    sockets = []
    for student in students:
        ws = await connect(student.url, additional_headers=student.headers, compression=None, max_size=None,
                           ping_interval=None, open_timeout=60)  # fmt: skip
        sockets.append(ws)
    pairs = list(zip(sockets, students, strict=True))
    readers = [asyncio.create_task(read(ws, student, size, spec["mode"])) for ws, student in pairs]
    async with asyncio.timeout(120):
        await asyncio.gather(*(student.live.wait() for student in students))
    start = time.monotonic() + 0.5
    window = (start + spec["warmup_s"], start + spec["warmup_s"] + spec["measure_s"])
    if not spec.get("idle"):
        spread = spec["frame_ms"] / 1000 / count  # the students' frames spread evenly over a frame's time
        writers = [
            asyncio.create_task(stream(ws, student, template, spec["frame_ms"], start + i * spread, window))
            for i, (ws, student) in enumerate(pairs)
        ]
    await asyncio.sleep(window[0] - time.monotonic())
    print("measuring", flush=True)
    await asyncio.sleep(window[1] - time.monotonic())
    print("done", flush=True)
    await asyncio.sleep(GRACE_S)
    if not spec.get("idle"):
        for writer in writers:
            writer.cancel()
    for reader in readers:
        reader.cancel()
    for ws in sockets:
        await ws.close()
    return results(students)


async def read(ws, student: Student, size: int, mode: str) -> None:
    if mode != "app":
        student.live.set()
    try:
        async for frame in ws:
            if isinstance(frame, bytes):
                now = time.monotonic()
                for sequence, _sent, upstream in headers(frame, size):
                    student.back[sequence] = (upstream, now)
            elif '"live"' in frame and json.loads(frame).get("state") == "live":
                student.live.set()
    except Exception as exc:  # a socket that closes under load is a result, not a crash
        student.error = f"{type(exc).__name__}: {exc}"
        student.live.set()


async def stream(
    ws, student: Student, template: bytes, frame_ms: int, start: float, window: tuple[float, float]
) -> None:
    """One frame every `frame_ms`, on a schedule: a late frame is sent late, the next ones keep the beat."""
    sequence, due = 0, start
    while due < window[1] + 1.0:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        now = time.monotonic()
        sequence += 1
        if window[0] <= now < window[1]:
            student.sent[sequence] = now
        try:
            await ws.send(stamped(template, sequence, now))
        except Exception as exc:
            student.error = student.error or f"{type(exc).__name__}: {exc}"
            return
        due += frame_ms / 1000


def results(students: list[Student]) -> dict:
    up, down, trip = [], [], []
    sent = received = 0
    for student in students:
        for sequence, at in student.sent.items():
            sent += 1
            if sequence in student.back:
                received += 1
                upstream, back = student.back[sequence]
                up.append((upstream - at) * 1000)
                down.append((back - upstream) * 1000)
                trip.append((back - at) * 1000)
    return {
        "sessions": len(students),
        "sent": sent,
        "received": received,
        "lost": sent - received,
        "up_p50": _percentile(up, 50), "up_p99": _percentile(up, 99),
        "down_p50": _percentile(down, 50), "down_p99": _percentile(down, 99),
        "trip_p50": _percentile(trip, 50), "trip_p99": _percentile(trip, 99),
        "errors": sorted({s.error for s in students if s.error})[:5],
    }  # fmt: skip


def _percentile(values: list[float], percent: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[percent - 1], 2)


if __name__ == "__main__":
    print(json.dumps(uvloop.run(run(json.load(sys.stdin)))), flush=True)
