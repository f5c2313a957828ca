"""How the context sent to the model grows over a long session, with and without summaries, and what
that does to the tokens billed; plus the summary latency through a real Celery worker.

The growth is simulated with the engine's own SummaryPolicy and extractive writer, at each provider's
audio tokens per second: an exchange every 12 s (the student speaks 4 s, the tutor 6 s). "Without"
keeps every turn's audio in the context, as a resumed live session does before the provider's own
compression; "with" starts a fresh connection after each summary, seeded with the summaries and the
last turns as text.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from practice.writers import Conversation, TurnText, extractive_summary
from tutor.brief import LearnerProfile, LessonBrief, Persona, RestoredContext
from tutor.context import SummaryPolicy
from tutor.persona import build_instructions

from . import Row

EXCHANGE_SECONDS = 12
STUDENT_SECONDS, TUTOR_SECONDS = 4, 6
PROFILES = {"gemini": (32, 32, 3.00, 0.50), "openai": (10, 20, 32.00, 4.00)}  # tps in/out, $/M audio, $/M text
MARKS = (5, 10, 20, 30, 60)
LESSON = LessonBrief(
    title="Ordering at a café in Lyon", language="fr-FR", level="A1",
    scenario="The student orders breakfast at a café in Lyon and asks for the bill.",
    persona=Persona("Camille", "cheerful and patient"), objectives=("Order a drink", "Ask for the bill"),
)  # fmt: skip


def _turn_text(index: int) -> str:
    if index % 2:
        return "Je voudrais un café et un croissant, s'il vous plaît."
    return "Très bien ! Et avec ça, vous voulez autre chose ? Nous avons aussi des pains au chocolat."


def simulate(provider: str, *, summaries: bool, minutes: int = 60) -> dict:
    tps_in, tps_out, audio_price, text_price = PROFILES[provider]
    policy = SummaryPolicy(budget_tokens=16_000)
    instructions = len(build_instructions(LESSON, LearnerProfile("Ana"), RestoredContext())) // 4
    audio = {i: (STUDENT_SECONDS * tps_in if i % 2 else TUTOR_SECONDS * tps_out) for i in range(10_000)}
    base_text, live_from, covered, summary_tokens = instructions, 0, -1, 0
    context_at, billed_audio, billed_text = {}, 0, 0
    turns = minutes * 60 // EXCHANGE_SECONDS * 2
    for turn in range(turns):
        audio_tokens = sum(audio[i] for i in range(live_from, turn + 1))
        context = base_text + audio_tokens
        if turn % 2 == 0:  # each tutor turn re-bills the whole context
            billed_audio += audio_tokens
            billed_text += base_text
        minute = (turn + 1) * EXCHANGE_SECONDS / 2 / 60
        for mark in MARKS:
            if minute >= mark and mark not in context_at:
                context_at[mark] = context
        if not summaries:
            continue
        target = policy.target(
            tokens=context, through_turn=turn, covered=covered, new_turns=turn - policy.recent_turns - covered
        )
        if target is not None:
            turns_covered = tuple(
                TurnText(i, "student" if i % 2 else "tutor", _turn_text(i)) for i in range(covered + 1, target + 1)
            )
            block = Conversation("Café", "fr-FR", "", "Ana", "Camille", turns_covered)
            summary_tokens += len(extractive_summary(block).text) // 4
            covered = target
            recent_text = sum(len(_turn_text(i)) // 4 for i in range(target + 1, turn + 1))
            base_text, live_from = instructions + summary_tokens + recent_text, turn + 1
    cost = billed_audio * audio_price / 1e6 + billed_text * text_price / 1e6
    return {"context_at": context_at, "billed": billed_audio + billed_text, "cost": cost}


def _summary_latency() -> list[Row]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.pop("TUTOR_DATA_DIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "bench.summary_latency"],
        capture_output=True, text=True, env=env, timeout=300, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    numbers = json.loads(result.stdout.strip().splitlines()[-1])
    broker = numbers["broker"]
    return [
        Row("summary latency", f"dispatch to row, median ({broker})", numbers["median_ms"], "ms",
            f"{numbers['n']} summaries, extractive"),
        Row("summary latency", f"dispatch to row, p95 ({broker})", numbers["p95_ms"], "ms", "real worker process"),
        Row("summary latency", "extractive writer alone, 24 turns", numbers["writer_ms"], "ms", ""),
    ]  # fmt: skip


def run() -> list[Row]:
    rows: list[Row] = []
    for provider in PROFILES:
        without, with_ = simulate(provider, summaries=False), simulate(provider, summaries=True)
        for mark in MARKS:
            rows.append(Row(f"context ({provider})", f"at {mark} min: without / with summaries",
                            without["context_at"][mark], "tokens", f"with: {with_['context_at'][mark]:,}"))  # fmt: skip
        for label, result in (("without", without), ("with", with_)):
            rows.append(Row(f"context ({provider})", f"input billed in 60 min {label} summaries", result["billed"],
                            "tokens", f"${result['cost']:.2f} before cache discounts"))  # fmt: skip
    return rows + _summary_latency()
