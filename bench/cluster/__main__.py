"""`python -m bench.cluster` (as root; `make cluster`): see the package's docstring."""

import asyncio
import json
import os
import signal
import sys

import django

from .run import SHORT, Cluster, talk_and_break


def main() -> int:
    if os.geteuid() != 0:
        print("make cluster builds network namespaces: run it as root", file=sys.stderr)
        return 2
    cluster = Cluster()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a stopped run still tears everything down
    try:
        cluster.build()
        os.environ.update({**cluster.env("edge"), "LOG_LEVEL": "ERROR"})
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR")  # this process counts nothing of the app's
        django.setup()
        from . import database  # the models, once Django is set up for the cluster's database

        result = asyncio.run(talk_and_break(cluster, database))
        (cluster.folder / "result.json").write_text(json.dumps(result, indent=1, default=str))
        print_result(result)
    finally:
        cluster.tear_down()
    return 0


COLUMNS = ("fault", "turns_sent", "stored", "lost", "duplicated", "saw")


def print_result(result: dict) -> None:
    print(f"cluster run{' (short)' if SHORT else ''}: logs and the students' messages in {result['folder']}")
    header = ("fault", "sent", "stored", "lost", "dup", "live again s", "answered again s", "the students saw")
    print(" | ".join(header))
    for row in result["phases"]:
        back = result["live_again"].get(row["fault"], {})
        print(" | ".join(str(cell) for cell in (
            row["fault"], row["turns_sent"], row["stored"], row["lost"], row["duplicated"],
            back.get("live_again_s", ""), back.get("answered_again_s", ""),
            ", ".join(f"{k} x{v}" for k, v in row["saw"].items()),
        )))  # fmt: skip
        extra = {
            k: v for k, v in row.items() if k not in ("fault", "turns_sent", "stored", "lost", "duplicated", "saw")
        }
        if extra:
            print(f"    {json.dumps(extra)}")
    print(f"sessions ended under a live student: {result['ended_under_a_live_student']}"
          f" (statuses before the end: {result['statuses_before_the_end']})")  # fmt: skip
    print("/metrics during the run (tutor_* lines, buckets left out):")
    for line in result["metrics_sample"].splitlines():
        if line.startswith("# ----") or (line.startswith("tutor_") and "_bucket{" not in line):
            print(f"  {line}")


if __name__ == "__main__":
    sys.exit(main())
