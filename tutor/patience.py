"""How long the tutor lets a learner pause before it takes its turn: by the lesson's CEFR level, unless
the lesson names a patience of its own. One table for the three providers: the offline tutor's end of
turn, Gemini's silence and end-of-speech sensitivity, OpenAI's eagerness and server VAD silence.

An operator may set the silence or the eagerness site-wide (GEMINI_SILENCE_DURATION_MS,
OPENAI_VAD_SILENCE_MS, OPENAI_VAD_EAGERNESS): that replaces the level's value, and a lesson's own
patience still wins over it."""

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Patience:
    name: str
    end_silence_ms: int  # the silence that ends a turn (offline, Gemini, OpenAI's server_vad)
    gemini_end_sensitivity: Literal["low", "high"]  # Gemini's end-of-speech sensitivity
    openai_eagerness: Literal["low", "medium", "high"]  # OpenAI's semantic_vad
    # The silence after the tutor's turn before help is offered (tutor/session/hearing.py): more than the patience,
    # since a learner takes a moment to start an answer; a student answering 1.5 s after a question is not stuck.
    help_after_ms: int = 5000


# A beginner searches for words mid-sentence; an advanced speaker expects a brisk answer.
PATIENCE: dict[str, Patience] = {
    "patient": Patience("patient", 1500, "low", "low", help_after_ms=5000),
    "relaxed": Patience("relaxed", 1100, "low", "low", help_after_ms=4500),
    "balanced": Patience("balanced", 800, "low", "medium", help_after_ms=4000),
    "brisk": Patience("brisk", 560, "high", "high", help_after_ms=3500),
}
BY_LEVEL = {"A1": "patient", "A2": "relaxed", "B1": "balanced", "B2": "balanced", "C1": "brisk", "C2": "brisk"}


def patience_for(level: str, override: str = "") -> Patience:
    """The lesson's own patience if it names one, else its level's; an unknown name is a clear error."""
    name = override or BY_LEVEL.get(level.upper(), "balanced")
    if name not in PATIENCE:
        raise ValueError(f"unknown patience {name!r}: expected one of {', '.join(PATIENCE)}")
    return PATIENCE[name]


def silence_ms(level: str, override: str, site: int | None) -> int:
    """The silence that ends a turn: the lesson's own patience, else the site's setting, else the level's."""
    return site if site is not None and not override else patience_for(level, override).end_silence_ms


def eagerness(level: str, override: str, site: str | None) -> str:
    """OpenAI's semantic_vad eagerness, by the same rule."""
    return site if site and not override else patience_for(level, override).openai_eagerness
