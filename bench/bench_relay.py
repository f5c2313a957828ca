"""The live audio path at scale (`make bench`): N students through the real app (login, `POST /api/sessions/`,
the consumer and the runner) against zero-latency stand-ins of Gemini Live and OpenAI Realtime over TLS,
streaming real-time audio both ways, on Daphne (as `python -m config.server` runs it) and on uvicorn;
and in the same run the floor (a minimal websockets + uvloop relay doing the same wire work), a raw
ASGI relay on each server, Daphne on the standard event loop, two app processes on the Redis channel
layer with the students split between them, the offline tutor, memory per idle session, and a long
run for memory growth. Per configuration: added latency per frame each way (p50, p99), frames lost,
the server's CPU (% of one core), memory per session, and the ratio of CPU to the floor's.

RELAY_QUICK=1 runs a short set; RELAY_PLAN=table only the floor and the app on Daphne at 40 ms x 25, 50,
75 and 100 sessions; RELAY_PLAN=scaleout only 100 sessions on one Daphne process, on two on Redis
(RELAY_REDIS_URL) and on two without Redis (each its own in-memory layer: what the split alone costs), then one
process again, with the ratios of their CPU; RELAY_LONG_S sets the long run (600 s; 0 leaves it out); RELAY_APP_ROOT,
RELAY_ASGI and RELAY_SETTINGS point the app runs at another checkout (the same harness on older code).
"""

import json
import os
import sys
from pathlib import Path

from . import Row
from .relay.runs import ROOT, Bench, Measured, RunFailed, Target

NAME = "relay"
WARMUP_S, MEASURE_S = 5.0, 20.0
LONG_SAMPLE_S = 60.0


def plan() -> list[tuple[Target, int, int, dict]]:
    """(target, sessions, frame ms, options of Bench.run)."""
    floor, app_d, app_u = Target("floor"), Target("app", "daphne"), Target("app", "uvicorn")
    if os.environ.get("RELAY_QUICK"):
        return [(floor, 50, 40, {}), (app_d, 50, 40, {}), (app_u, 50, 40, {})]
    if os.environ.get("RELAY_PLAN") == "scaleout":  # the tax of scaling out, alone; then the split without Redis
        two, apart = Target("app", "daphne", processes=2), Target("app", "daphne", processes=2, redis=False)
        return [(app_d, 100, 40, {}), (two, 100, 40, {}), (apart, 100, 40, {}), (app_d, 100, 40, {})]
    if os.environ.get("RELAY_PLAN") == "table":  # the table alone, e.g. on older code (RELAY_APP_ROOT)
        return [(target, sessions, 40, {}) for sessions in (25, 50, 75, 100) for target in (floor, app_d)]
    runs = []
    for sessions in (25, 50, 75, 100):
        runs += [(floor, sessions, 40, {}), (app_d, sessions, 40, {}), (app_u, sessions, 40, {})]
    runs += [(floor, 50, 20, {}), (app_d, 50, 20, {}), (app_u, 50, 20, {})]
    runs += [(Target("raw", "daphne"), 100, 40, {}), (Target("raw", "uvicorn"), 100, 40, {})]
    runs += [(Target("app", "daphne-asyncio"), 100, 40, {}), (Target("app", "daphne", processes=2), 100, 40, {})]
    for sessions in (50, 100):
        runs += [
            (Target("floor", provider="openai"), sessions, 40, {}),
            (Target("app", provider="openai"), sessions, 40, {}),
        ]
    runs += [(Target("app", provider="offline"), 25, 40, {})]
    runs += [(app_d, 100, 40, {"idle": True})]
    if long_s := float(os.environ.get("RELAY_LONG_S", "600")):
        runs += [(app_d, 100, 40, {"measure_s": long_s, "rss_every_s": LONG_SAMPLE_S})]
    return runs


def run() -> list[Row]:
    runs = plan()
    bench = Bench(max(sessions for _t, sessions, _f, _o in runs), Path(os.environ.get("RELAY_APP_ROOT", ROOT)))
    measured: list[Measured] = []
    rows: list[Row] = []
    for target, sessions, frame_ms, options in runs:
        where = f"{target.name}, {sessions} x {frame_ms} ms"
        try:
            m = bench.run(target, sessions=sessions, frame_ms=frame_ms,
                          **{"warmup_s": WARMUP_S, "measure_s": MEASURE_S, **options})  # fmt: skip
        except RunFailed as failure:
            rows.append(Row(NAME, f"{where}: no result", 0, "", str(failure)))
            print(f"  {where}: {failure}", file=sys.stderr, flush=True)
            continue
        measured.append(m)
        print(f"  {where}: CPU {m.cpu_percent}%, {json.dumps(m.load)[:300]}", file=sys.stderr, flush=True)
    floors = {(m.target.provider, m.sessions, m.frame_ms): m.cpu_percent for m in measured if m.target.kind == "floor"}
    for m in measured:
        rows += _rows(m, floors.get((m.target.provider, m.sessions, m.frame_ms)))
    return rows + _scaleout(measured)


def _scaleout(measured: list[Measured]) -> list[Row]:
    """Two processes against one, holding the same sessions: what scaling out costs in CPU, on Redis and without
    it (the split alone). One process is measured before and after; the ratio is to the mean of the two."""
    apps = [m for m in measured if m.target.kind == "app" and m.target.server == "daphne"
            and m.target.provider == "gemini" and not m.rss_samples and m.load.get("sent")]  # fmt: skip
    rows = []
    for two in (m for m in apps if m.target.processes == 2):
        same = (two.sessions, two.frame_ms)
        ones = [m.cpu_percent for m in apps if m.target.processes == 1 and (m.sessions, m.frame_ms) == same]
        if ones:
            one = sum(ones) / len(ones)
            note = f"{two.cpu_percent}% / {round(one, 1)}% (1 process: {', '.join(map(str, ones))})"
            measure = f"{two.sessions} x {two.frame_ms} ms: CPU of {two.target.name} / 1 process"
            rows.append(Row(NAME, measure, round(two.cpu_percent / one, 2), "x", note))
    return rows


def _rows(m: Measured, floor_cpu: float | None) -> list[Row]:
    where = f"{m.target.name}, {m.sessions} x {m.frame_ms} ms"
    per_session = round((m.rss_mib - m.rss_before_mib) / m.sessions * 1024)
    load = m.load
    if load.get("sent", 0) == 0:
        return [Row(NAME, f"{where}, idle: memory per session", per_session, "KiB", f"RSS {m.rss_mib} MiB")]
    if m.rss_samples:
        first, last = m.rss_samples[0], m.rss_samples[-1]
        trend = ", ".join(f"{mib:.0f}" for _at, mib in m.rss_samples)
        return [
            Row(NAME, f"{where}, {last[0] + LONG_SAMPLE_S:.0f} s: memory growth", round(last[1] - first[1], 1),
                "MiB", f"from minute 1 to the end; MiB each minute: {trend}"),
            Row(NAME, f"{where}, {last[0] + LONG_SAMPLE_S:.0f} s: frames lost", load["lost"], "frames",
                f"{load['received']}/{load['sent']} back, p99 {load['up_p99']} / {load['down_p99']} ms"),
        ]  # fmt: skip
    back = f"{load['received']}/{load['sent']} back" + (f"; {load['errors'][0]}" if load["errors"] else "")
    rows = [Row(NAME, f"{where}: server CPU", m.cpu_percent, "% core", f"RSS {m.rss_mib} MiB")]
    if floor_cpu and m.target.kind != "floor":
        rows.append(
            Row(NAME, f"{where}: CPU / floor's", round(m.cpu_percent / floor_cpu, 2), "x", f"floor {floor_cpu}%")
        )
    if m.target.provider != "offline":  # the offline tutor answers with its own voice: no echo to time
        rows += [
            Row(NAME, f"{where}: up p50 / p99", _ms(load["up_p50"]), "ms", f"p99 {_ms(load['up_p99'])} ms"),
            Row(NAME, f"{where}: down p50 / p99", _ms(load["down_p50"]), "ms", f"p99 {_ms(load['down_p99'])} ms"),
            Row(NAME, f"{where}: frames lost", load["lost"], "frames", back),
        ]  # fmt: skip
    rows.append(Row(NAME, f"{where}: memory per session", per_session, "KiB", "streaming"))
    return rows


def _ms(value: float | None) -> float:
    return -1.0 if value is None else value
