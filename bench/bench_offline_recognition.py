"""How often the offline recognizer hears a right answer said with a greeting or a filler around it, and
how often it takes a wrong one for right, per demo language, in eSpeak voices and speeds it was neither
built from nor calibrated on (speech_cases.py); and what a recognition costs."""

import statistics
import time
from collections import Counter

from tutor.providers.offline import recognizer

from . import Row
from .speech_cases import HELD_OUT_VOICES, demo_steps, right_cases, wrong_cases

NAME = "offline recognition"


def run() -> list[Row]:
    heard, said, taken, wrong = Counter(), Counter(), Counter(), Counter()
    costs: list[float] = []
    for step in demo_steps():
        language = step.language[:2]
        for number, voice in enumerate(HELD_OUT_VOICES):
            for case in right_cases(step, voice, seed=number) + wrong_cases(step, voice, seed=number):
                job = recognizer.request(case.pcm, step.expected, language=step.language, others=step.others)
                started = time.process_time()
                result = recognizer.run(job)
                costs.append((time.process_time() - started) * 1000)
                accepted = result.text is not None
                if case.right:
                    said[language] += 1
                    heard[language] += accepted
                else:
                    wrong[language] += 1
                    taken[language] += accepted
    rows = [
        Row(NAME, f"right answers heard, with a greeting or filler ({language})",
            100 * heard[language] / said[language], "%", f"{heard[language]} of {said[language]}; target >= 95")
        for language in said
    ]  # fmt: skip
    rows += [
        Row(NAME, f"wrong answers taken for right ({language})", 100 * taken[language] / wrong[language], "%",
            f"{taken[language]} of {wrong[language]}; target <= 5")
        for language in wrong
    ]  # fmt: skip
    total_wrong, total_taken = sum(wrong.values()), sum(taken.values())
    rows.append(Row(NAME, "wrong answers taken for right (all)", 100 * total_taken / total_wrong, "%",
                    f"{total_taken} of {total_wrong}; target <= 5"))  # fmt: skip
    rows.append(Row(NAME, "CPU per recognition, median", statistics.median(costs), "ms", f"{len(costs)} utterances"))
    rows.append(Row(NAME, "CPU per recognition, p95", statistics.quantiles(costs, n=20)[-1], "ms", ""))
    return rows
