"""The placement: a few gap-fill tasks per CEFR band in the target language (tasks.yaml), and the level the
answers give. Plain values, no database: services/levels.py records the result and sets the level.

The level is the highest band reached without a gap: every band up to it had at least half its tasks right.
A learner who gets A1 wrong starts at A1.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from tutor.providers.offline.matching import assess

BANDS = ("A1", "A2", "B1", "B2", "C1")
TASKS_FILE = Path(__file__).with_name("tasks.yaml")


@dataclass(frozen=True)
class Task:
    key: str  # "B1-2": the band and the task's number in it
    band: str
    prompt: str
    answers: tuple[str, ...]


@cache
def _bank() -> dict[str, tuple[Task, ...]]:
    data = yaml.safe_load(TASKS_FILE.read_text(encoding="utf-8"))
    return {
        language: tuple(
            Task(f"{band}-{n}", band, task["prompt"], tuple(task["answers"]))
            for band in BANDS
            for n, task in enumerate(bands[band], 1)
        )
        for language, bands in data.items()
    }


def placement_languages() -> tuple[str, ...]:
    return tuple(sorted(_bank()))


def tasks_for(language: str) -> tuple[Task, ...]:
    """The tasks of a language (fr, or fr-FR), or () when there is no placement for it."""
    return _bank().get(language.split("-")[0].lower(), ())


@dataclass(frozen=True)
class Placement:
    level: str
    bands: dict[str, tuple[int, int]]  # band -> (right, asked)


def place(tasks: tuple[Task, ...], answers: dict[str, str], *, language: str) -> Placement:
    bands = {band: [0, 0] for band in BANDS if any(task.band == band for task in tasks)}
    for task in tasks:
        given = answers.get(task.key, "").strip()
        bands[task.band][1] += 1
        bands[task.band][0] += bool(given) and assess(given, task.answers, language=language).accepted
    level = BANDS[0]
    for band in BANDS:
        right, asked = bands.get(band, (0, 0))
        if not asked or right * 2 < asked:
            break
        level = band
    return Placement(level, {band: (right, asked) for band, (right, asked) in bands.items()})
