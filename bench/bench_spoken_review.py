"""How often the review page grades a right spoken answer right when it is said with a greeting or a filler around it,
and how often it grades a wrong one right, per demo language: the offline recognizer's own corpus (speech_cases.py,
in eSpeak voices and speeds the recognizer was neither built from nor calibrated on), graded through the review's
own path (practice/answers.py `grade_spoken`: the recognizer in its worker processes, then `assess`).

A demo lesson played through gives a deck: each step's answers and the vocabulary's examples become cards. Each
card is answered once right, three ways (after a greeting, after a filler, before one), and with the step's two
wrong answers (a near miss and something else); the student's other cards of the language are what the recognizer
tells the answer apart from, as on the review page."""

import asyncio
import os
from collections import Counter
from dataclasses import dataclass

import django

from . import Row
from .speech_cases import HELD_OUT_VOICES, Step, demo_steps, right_cases, wrong_cases

NAME = "spoken review"
RIGHT = "right"


@dataclass(frozen=True)
class DeckCard:
    """As much of a practice.models.Card as grading reads."""

    back: str
    language: str


def run() -> list[Row]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    return asyncio.run(_measure())


async def _measure() -> list[Row]:
    from practice.answers import grade_spoken  # once Django is set up: it reads the site's settings

    graded_right, said, taken, wrong = Counter(), Counter(), Counter(), Counter()
    decks = _decks(demo_steps())
    for step in demo_steps():
        language = step.language[:2]
        for answer in step.expected:
            card = DeckCard(answer, step.language)
            others = tuple(back for back in decks[step.language] if back != answer)
            one = Step(step.language, (answer,), others, step.wrong)
            for number, voice in enumerate(HELD_OUT_VOICES):
                for case in right_cases(one, voice, seed=number) + wrong_cases(one, voice, seed=number):
                    graded = await grade_spoken(card, case.pcm, others=others, explain_in="en")
                    if case.right:
                        said[language] += 1
                        graded_right[language] += graded.verdict == RIGHT
                    else:
                        wrong[language] += 1
                        taken[language] += graded.verdict == RIGHT
    rows = [
        Row(NAME, f"right answers graded right, with a greeting or filler ({language})",
            100 * graded_right[language] / said[language], "%",
            f"{graded_right[language]} of {said[language]}; target >= 95")
        for language in said
    ]  # fmt: skip
    rows += [
        Row(NAME, f"wrong answers graded right ({language})", 100 * taken[language] / wrong[language], "%",
            f"{taken[language]} of {wrong[language]}; target <= 5")
        for language in wrong
    ]  # fmt: skip
    total_wrong, total_taken = sum(wrong.values()), sum(taken.values())
    rows.append(Row(NAME, "wrong answers graded right (all)", 100 * total_taken / total_wrong, "%",
                    f"{total_taken} of {total_wrong}; target <= 5"))  # fmt: skip
    return rows


def _decks(steps: tuple[Step, ...]) -> dict[str, tuple[str, ...]]:
    """Per lesson language, the backs of the cards its lesson gives: every step's answers and the examples."""
    decks: dict[str, dict[str, None]] = {}
    for step in steps:
        deck = decks.setdefault(step.language, {})
        deck.update(dict.fromkeys(step.expected))
        deck.update(dict.fromkeys(text for text in step.others if text not in deck))
    return {language: tuple(deck) for language, deck in decks.items()}
