"""The live audio path at scale (`make bench`): N students through the real app (login, `POST /api/sessions/`,
the consumer and the runner) against zero-latency stand-ins of Gemini Live and OpenAI Realtime over TLS,
streaming real-time audio both ways, on Daphne (as `python -m config.server` runs it) and on uvicorn;
and in the same run the floor (a minimal websockets + uvloop relay doing the same wire work), a raw
ASGI relay on each server, Daphne on the standard event loop, two app processes on the Redis channel
layer with the students split between them, the offline tutor, memory per idle session, and a long
run for memory growth. Per configuration: added latency per frame each way (p50, p99), frames lost,
the server's CPU (% of one core), memory per session, and the ratio of CPU to the floor's.

The app runs as docs/deploy.md starts it (`python -m config.server`, DEBUG off, static files collected, a
secret key, logging at INFO) on SQLite and, with RELAY_POSTGRES_URL, on PostgreSQL; every Daphne process
runs the event-loop probe (config/loop_probe.py), so each row has the loop's lag p99 beside the frames'.

RELAY_QUICK=1 runs a short set; RELAY_PLAN=deploy the issue-26 table (the raw ASGI relay on Daphne and the
app on SQLite and PostgreSQL at 25, 50 and 100 sessions, and the app with DEBUG on at 25); RELAY_PLAN=table
only the floor and the app on Daphne at 40 ms x 25, 50, 75 and 100 sessions; RELAY_PLAN=scaleout only 100
sessions (RELAY_SCALEOUT_SESSIONS) on one Daphne process, on two on Redis (RELAY_REDIS_URL) and on two without
Redis (each its own in-memory layer: what the split alone costs), then one process again, with the ratios of
their CPU;
RELAY_SESSIONS=50 keeps only the runs of 50 sessions (a list: 25,50); RELAY_LOG_LEVEL sets the app's
LOG_LEVEL (unset: INFO, as deployed); RELAY_BEFORE_ROOT adds to the deploy plan the app of another checkout
(the code before a change, served with the same probe) on SQLite beside each; RELAY_LONG_S sets the long
run (600 s; 0 leaves it out); RELAY_APP_ROOT, RELAY_ASGI and RELAY_SETTINGS point the app runs at another
checkout (the same harness on older code).
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


def deployed() -> list[tuple[Target, int, int, dict]]:
    """The app as deployed beside the raw ASGI relay on the same server, per N; DEBUG on (`make run`) at 25."""
    raw, app_pg = Target("raw", "daphne"), Target("app", "daphne", database="postgres")
    before = os.environ.get("RELAY_BEFORE_ROOT", "")  # a checkout of the code before, measured beside it
    runs = []
    for sessions in (25, 50, 100):
        runs += [(raw, sessions, 40, {}), (Target("app", "daphne"), sessions, 40, {}), (app_pg, sessions, 40, {})]
        if before:
            runs += [(Target("app", "daphne", checkout=before), sessions, 40, {})]
    runs += [(Target("app", "daphne", debug=True), 25, 40, {})]
    if before:
        runs += [(Target("app", "daphne", debug=True, checkout=before), 25, 40, {})]
    return runs


def plan() -> list[tuple[Target, int, int, dict]]:
    """(target, sessions, frame ms, options of Bench.run)."""
    floor, app_d, app_u = Target("floor"), Target("app", "daphne"), Target("app", "uvicorn")
    if os.environ.get("RELAY_QUICK"):
        return [(Target("raw", "daphne"), 50, 40, {}), (app_d, 50, 40, {}), (app_u, 50, 40, {})]
    if os.environ.get("RELAY_PLAN") == "deploy":
        return deployed()
    if os.environ.get("RELAY_PLAN") == "scaleout":  # the tax of scaling out, alone; then the split without Redis
        two, apart = Target("app", "daphne", processes=2), Target("app", "daphne", processes=2, redis=False)
        n = int(os.environ.get("RELAY_SCALEOUT_SESSIONS", "100"))  # fewer when one process cannot hold 100
        return [(app_d, n, 40, {}), (two, n, 40, {}), (apart, n, 40, {}), (app_d, n, 40, {})]
    if os.environ.get("RELAY_PLAN") == "table":  # the table alone, e.g. on older code (RELAY_APP_ROOT)
        return [(target, sessions, 40, {}) for sessions in (25, 50, 75, 100) for target in (floor, app_d)]
    runs = deployed()
    for sessions in (25, 50, 75, 100):
        runs += [(floor, sessions, 40, {}), (app_u, sessions, 40, {})]
    runs += [(floor, 50, 20, {}), (app_d, 50, 20, {}), (app_u, 50, 20, {})]
    runs += [(Target("raw", "uvicorn"), 100, 40, {})]
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
    if only := os.environ.get("RELAY_SESSIONS"):  # e.g. "50": only the runs of that many sessions
        runs = [r for r in runs if str(r[1]) in only.split(",")]
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
        print(f"  {where}: CPU {m.cpu_percent}%, lag {m.lag}, {json.dumps(m.load)[:300]}", file=sys.stderr, flush=True)
    floors = {(m.target.provider, m.sessions, m.frame_ms): m.cpu_percent for m in measured if m.target.kind == "floor"}
    raws = {(m.target.server, m.sessions, m.frame_ms): m for m in measured if m.target.kind == "raw"}
    for m in measured:
        rows += _rows(m, floors.get((m.target.provider, m.sessions, m.frame_ms)))
        if m.target.kind == "app" and (raw := raws.get((m.target.server, m.sessions, m.frame_ms))):
            rows += _beside_raw(m, raw)
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


def _beside_raw(m: Measured, raw: Measured) -> list[Row]:
    """The app against the raw ASGI relay on the same server in the same run: the issue's targets."""
    where = f"{m.target.name}, {m.sessions} x {m.frame_ms} ms"
    app, bare = m.load, raw.load
    if None in (app["up_p99"], app["down_p99"], bare["up_p99"], bare["down_p99"]) or not raw.cpu_percent:
        return []
    return [
        Row(NAME, f"{where}: CPU / raw ASGI relay's", round(m.cpu_percent / raw.cpu_percent, 2), "x",
            f"raw relay {raw.cpu_percent}%"),
        Row(NAME, f"{where}: p99 over the raw relay's, up / down", round(app["up_p99"] - bare["up_p99"], 2), "ms",
            f"down {round(app['down_p99'] - bare['down_p99'], 2)} ms; raw relay p99 {bare['up_p99']} / "
            f"{bare['down_p99']} ms, round trip {bare['trip_p50']} / {bare['trip_p99']} ms"),
    ]  # fmt: skip


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
            Row(NAME, f"{where}: round trip p50 / p99", _ms(load["trip_p50"]), "ms", f"p99 {_ms(load['trip_p99'])} ms"),
            Row(NAME, f"{where}: frames lost", load["lost"], "frames", back),
        ]  # fmt: skip
    if m.lag:
        lag = m.lag
        note = (
            f"p50 {lag['p50']} ms, worst {lag['max']} ms of {lag['samples']} wakes of a 10 ms sleep; loop thread "
            f"busy p99 {lag['busy_p99']} ms; {lag['gc_over_1ms']} collections over 1 ms, worst {lag['gc_max']} ms"
        )
        rows.append(Row(NAME, f"{where}: event-loop lag p99", lag["p99"], "ms", note))  # fmt: skip
    rows.append(Row(NAME, f"{where}: memory per session", per_session, "KiB", "streaming"))
    return rows


def _ms(value: float | None) -> float:
    return -1.0 if value is None else value
