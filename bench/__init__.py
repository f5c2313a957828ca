"""Benchmarks (`make bench`): each bench_*.py module has `run() -> list[Row]`; __main__ prints a table."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    benchmark: str
    measure: str
    value: float
    unit: str
    note: str = ""
