"""The learning loop's numbers: cards a demo session makes, the deck's pages with 5,000 cards, and the Anki
export of 1,000 cards with their audio (bench/deck_load.py, in its own process on a scratch database)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from . import Row


def run() -> list[Row]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-m", "bench.deck_load"],
        capture_output=True, text=True, env=env, timeout=900, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    numbers = json.loads(result.stdout.strip().splitlines()[-1])
    made = numbers["cards_made"]
    rows = [
        Row("deck", f"cards made: {title}", count, "cards", "one pass, a slip on every second step")
        for title, count in made.items()
    ]
    rows.append(Row("deck", "cards made per demo session, mean", sum(made.values()) / len(made), "cards"))
    for url, ms in numbers["pages_ms"].items():
        rows.append(Row("deck (5,000 cards)", f"GET {url}", ms, "ms", "median of 15, Django test client, SQLite"))
    rows += [
        Row("anki export (1,000 cards)", "time to write the .apkg", numbers["export_s"], "s", "audio made beforehand"),
        Row("anki export (1,000 cards)", "size of the .apkg", numbers["export_bytes"] / 1e6, "MB"),
        Row("anki export (1,000 cards)", "eSpeak + MP3 audio for 1,000 cards", numbers["audio_s"], "s",
            f"{numbers['audio_bytes'] / 1000:.0f} kB of MP3, made once per card when it is created"),
    ]  # fmt: skip
    return rows
