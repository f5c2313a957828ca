"""The event-loop probe (config/loop_probe.py) and how the relay bench reads it (bench/relay/runs.py)."""

import asyncio
import json
import time

from bench.bench_relay import deployed
from bench.relay.runs import Target, lag_in_window
from config import loop_probe


def test_the_probe_writes_each_seconds_wakes_and_sees_a_blocked_loop(tmp_path):
    path = tmp_path / "lag.jsonl"

    async def main() -> list[dict]:
        task = asyncio.create_task(loop_probe.probe(str(path)))
        await asyncio.sleep(0.05)
        time.sleep(0.06)  # noqa: ASYNC251 - the loop is held on purpose: the 10 ms sleep wakes >= 50 ms late
        while not path.exists() or not path.read_text().strip():
            await asyncio.sleep(0.05)
        task.cancel()
        return [json.loads(line) for line in path.read_text().splitlines()]

    seconds = asyncio.run(main())
    first = seconds[0]
    assert set(first) == {"at", "lag_ms", "busy_ms", "gc"}
    assert len(first["lag_ms"]) == len(first["busy_ms"]) > 0
    assert max(first["lag_ms"]) >= 50


def test_the_probe_starts_only_when_asked(monkeypatch, tmp_path):
    monkeypatch.delenv(loop_probe.ENV, raising=False)
    loop = asyncio.new_event_loop()
    try:
        loop_probe.start_if_asked(loop)
        loop.run_until_complete(asyncio.sleep(0))
        assert not asyncio.all_tasks(loop)
        monkeypatch.setenv(loop_probe.ENV, str(tmp_path / "lag.jsonl"))
        loop_probe.start_if_asked(loop)
        loop.run_until_complete(asyncio.sleep(0))
        assert [task.get_name() for task in asyncio.all_tasks(loop)] == ["loop-probe"]
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()


def test_the_collector_callback_keeps_pauses_over_a_millisecond():
    collections = loop_probe.Collections()
    collections("start", {"generation": 2})
    time.sleep(0.002)
    collections("stop", {"generation": 2})
    collections("start", {"generation": 0})
    collections("stop", {"generation": 0})
    pauses = collections.take()
    assert [generation for generation, _ms in pauses] == [2]
    assert pauses[0][1] >= 1.0
    assert collections.take() == []


def test_the_bench_keeps_the_samples_of_its_window_only(tmp_path):
    lines = [
        {"at": 9.0, "lag_ms": [900.0], "busy_ms": [900.0], "gc": [[2, 800.0]]},  # start-up: before the window
        {"at": 11.0, "lag_ms": [1.0] * 98 + [7.0, 30.0], "busy_ms": [0.5] * 100, "gc": [[2, 3.5]]},
        {"at": 31.0, "lag_ms": [500.0], "busy_ms": [0.0], "gc": []},  # after it
    ]
    (tmp_path / "lag-1.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    lag = lag_in_window(tmp_path, 10.0, 30.0)
    assert lag["samples"] == 100
    assert lag["p50"] == 1.0
    assert lag["p99"] == 30.0
    assert lag["max"] == 30.0
    assert lag["gc_over_1ms"] == 1
    assert lag["gc_max"] == 3.5
    assert lag_in_window(tmp_path, 40.0, 50.0) is None


def test_the_deployed_plan_sets_the_app_beside_the_raw_relay_at_each_size():
    runs = deployed()
    for sessions in (25, 50, 100):
        targets = [target for target, n, frame_ms, _options in runs if n == sessions and frame_ms == 40]
        assert Target("raw", "daphne") in targets
        assert Target("app", "daphne") in targets
        assert Target("app", "daphne", database="postgres") in targets
    debug = [(target, n) for target, n, _f, _o in runs if target.debug]
    assert debug == [(Target("app", "daphne", debug=True), 25)]
    assert Target("app", "daphne", database="postgres", debug=True).name == "app on Daphne, PostgreSQL, DEBUG on"
