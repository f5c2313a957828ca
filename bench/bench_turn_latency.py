"""`make bench` rows "turn latency": end of speech → first tutor audio through the whole app, per tutor, and what
a real interruption makes the page do (bench/turn_latency.py does the measuring, one process per tutor)."""

import json
import os
import subprocess
import sys

import numpy as np

from . import Row

NAME = "turn latency"
SERVICES = ("gemini", "openai", "offline")


def _load() -> str:
    with open("/proc/loadavg") as loadavg:
        return loadavg.read().split()[0]


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _value(value: float | None) -> float:
    return float("nan") if value is None else value


def measure(service: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.turn_latency", service], env=env, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(result), file=sys.stderr, flush=True)  # the raw numbers, beside the table
    return result


def run() -> list[Row]:
    rows: list[Row] = []
    for service in SERVICES:
        before = _load()
        result = measure(service)
        load = f"load {before}-{_load()}"
        if service == "offline":
            single, crowd = result["single_ms"], result["crowd_ms"]
            rows += [
                Row(NAME, "offline, one session: end of speech → first audio p50", _percentile(single, 50), "ms",
                    f"{len(single)} answers; target <= 300; {load}"),
                Row(NAME, "offline, 30 sessions at once: p50", _percentile(crowd, 50), "ms",
                    f"{len(crowd)} answers; {load}"),
                Row(NAME, "offline, 30 sessions at once: p99", _percentile(crowd, 99), "ms", "target <= 500"),
            ]  # fmt: skip
            continue
        latencies = result["latencies_ms"]
        rows += [
            Row(NAME, f"{service}: end of speech → first audio p50", _percentile(latencies, 50), "ms",
                f"{len(latencies)} of {result['answers']} answers, the fake thinks 200 ms; target <= 500; {load}"),
            Row(NAME, f"{service}: end of speech → first audio p95", _percentile(latencies, 95), "ms", ""),
            Row(NAME, f"{service}: interruption → volume lowered (duck) p50", _percentile(result["duck_ms"], 50),
                "ms", f"{len(result['duck_ms'])} of {result['interruptions']}; target <= 150"),
            Row(NAME, f"{service}: interruption → audio stopped p50", _percentile(result["interrupted_ms"], 50),
                "ms", f"{len(result['interrupted_ms'])} of {result['interruptions']}"),
            Row(NAME, f"{service}: silent student → help offered", _value(result.get("help_ms")), "ms",
                "from the end of the tutor's line; target <= 6,000 (A1: help after 5,000 ms, + 1,000)"),
            Row(NAME, f"{service}: silent student → the help's first audio", _value(result.get("help_audio_ms")),
                "ms", "in the lesson's language (the fake's French)"),
        ]  # fmt: skip
    return rows
