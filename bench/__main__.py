"""Runs every bench/bench_*.py (or those named on the command line) and prints one table."""

import importlib
import os
import pkgutil
import sys
import time

import bench

from . import Row


def main(names: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    modules = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if names:
        modules = [m for m in modules if any(n in m for n in names)]
    rows: list[Row] = []
    for name in modules:
        started = time.perf_counter()
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows.extend(importlib.import_module(f"bench.{name}").run())
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print_table(rows)
    return 0


def print_table(rows: list[Row]) -> None:
    headers = ("benchmark", "measure", "value", "unit", "note")
    cells = [(r.benchmark, r.measure, _number(r.value), r.unit, r.note) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for c in cells:
        print("  ".join((v.rjust(w) if i == 2 else v.ljust(w)) for i, (v, w) in enumerate(zip(c, widths, strict=True))))


def _number(value: float) -> str:
    if value != value:  # NaN: nothing was measured (the row's note says why)
        return "n/a"
    if value == int(value) and abs(value) >= 100:
        return f"{int(value):,}"
    return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.1f}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
