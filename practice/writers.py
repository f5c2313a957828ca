"""Writing summaries and reports from a conversation, with a text model or, offline, by extraction.

Plain values in, plain values out: the services (tutor/summaries.py, tutor/reports.py) read the
database and store the result; this module only writes.
"""

import json
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from tutor.events import TokenUsage
from tutor.providers.text import TextModel, TextModelError


@dataclass(frozen=True)
class TurnText:
    index: int
    role: str
    text: str


@dataclass(frozen=True)
class CorrectionText:
    original: str
    corrected: str
    category: str
    explanation: str = ""
    turn: int | None = None  # the student's turn it corrects


@dataclass(frozen=True)
class Conversation:
    lesson_title: str
    language: str
    scenario: str
    learner: str
    tutor: str
    turns: tuple[TurnText, ...]
    corrections: tuple[CorrectionText, ...] = ()
    words_used: tuple[str, ...] = ()
    words_learned: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    objectives_met: tuple[str, ...] = ()
    minutes: float = 0.0

    def transcript(self) -> str:
        names = {"student": self.learner, "tutor": self.tutor}
        return "\n".join(f"{names.get(t.role, t.role)}: {t.text}" for t in self.turns if t.text)


@dataclass(frozen=True)
class Written:
    text: str
    usage: TokenUsage | None
    model: str


@dataclass(frozen=True)
class Narrative:
    """The parts of a report that need judgement; the counts are computed, not written."""

    summary: str
    strengths: tuple[str, ...]
    weak_points: tuple[str, ...]
    usage: TokenUsage | None = None
    model: str = "extractive"


# ---- summaries ---------------------------------------------------------------------------------

SUMMARY_SYSTEM = (
    "You keep the memory of a language tutor. Summarize the part of a lesson conversation you are given "
    "so the tutor can carry on later without the transcript. Write in English, at most 120 words, as plain "
    "sentences: what was talked about and where the role-play stands, what the student could and could not "
    "say (quote their mistakes briefly), the lesson words they used, and what the tutor asked last."
)


async def model_summary(model: TextModel, conversation: Conversation) -> Written:
    first, last = conversation.turns[0].index, conversation.turns[-1].index
    prompt = (
        f"Lesson: {conversation.lesson_title} ({conversation.language}). Scenario: {conversation.scenario}\n"
        f"Turns {first} to {last}:\n{conversation.transcript()}\n"
        + _corrections_line(conversation)
        + _words_line(conversation)
    )
    result = await model.complete(system=SUMMARY_SYSTEM, prompt=prompt, max_output_tokens=400)
    text = result.text.strip()
    if not text:
        raise TextModelError("the model returned an empty summary", retryable=True)
    return Written(text=text, usage=result.usage, model=result.model)


def extractive_summary(conversation: Conversation, *, max_chars: int = 700) -> Written:
    """Key sentences, the corrections and the words used, in order, within `max_chars`."""
    first, last = conversation.turns[0].index, conversation.turns[-1].index
    head = f"Turns {first}-{last} of '{conversation.lesson_title}'."
    tail = _corrections_line(conversation) + _words_line(conversation)
    budget = max(120, max_chars - len(head) - len(tail))
    chosen, used = [], 0
    names = {"student": conversation.learner, "tutor": conversation.tutor}
    for turn in _key_turns(conversation):
        line = f"{names.get(turn.role, turn.role)}: {_first_sentence(turn.text)}"
        if used + len(line) + 1 > budget:
            break
        chosen.append(turn)
        used += len(line) + 1
    body = " ".join(
        f"{names.get(t.role, t.role)}: {_first_sentence(t.text)}" for t in sorted(chosen, key=lambda t: t.index)
    )
    text = " ".join(part for part in (head, body, tail.strip()) if part)
    return Written(text=text[:max_chars], usage=None, model="extractive")


def _key_turns(conversation: Conversation) -> list[TurnText]:
    """Most informative first: the last exchange (where things stand), then turns with lesson words,
    then the student's longer answers."""
    turns = [t for t in conversation.turns if t.text.strip()]
    if not turns:
        return []
    words = [w for w in conversation.words_used] or []

    def score(turn: TurnText) -> float:
        hits = sum(fuzz.partial_ratio(w, turn.text, processor=utils.default_process) >= 90 for w in words)
        return hits * 3 + (2 if turn.role == "student" else 0) + min(len(turn.text), 120) / 60

    last_two = turns[-2:]
    rest = sorted(turns[:-2], key=score, reverse=True)
    return [*reversed(last_two), *rest]


def _first_sentence(text: str, limit: int = 160) -> str:
    sentence = re.split(r"(?<=[.!?。！？])\s+", text.strip())[0]  # noqa: RUF001 (Japanese full stops)
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def _corrections_line(conversation: Conversation) -> str:
    if not conversation.corrections:
        return ""
    items = "; ".join(f"«{c.original}» → «{c.corrected}» ({c.category})" for c in conversation.corrections[:6])
    return f"Corrections: {items}.\n"


def _words_line(conversation: Conversation) -> str:
    return f"Lesson words used: {', '.join(conversation.words_used)}.\n" if conversation.words_used else ""


# ---- reports -----------------------------------------------------------------------------------

REPORT_SYSTEM = (
    "You are a language teacher writing a short, encouraging report on one practice session for the "
    "student and their teacher. Answer with JSON only, of this shape: "
    '{"summary": "two or three sentences", "strengths": ["..."], "weak_points": ["..."]}. '
    "Strengths and weak points are short phrases (at most 4 of each), concrete, quoting the student where "
    "useful. Write in English."
)


async def model_narrative(model: TextModel, conversation: Conversation) -> Narrative:
    prompt = (
        f"Lesson: {conversation.lesson_title} ({conversation.language}). Scenario: {conversation.scenario}\n"
        f"Objectives: {'; '.join(conversation.objectives) or 'none'}. "
        f"Met: {'; '.join(conversation.objectives_met) or 'none'}.\n"
        f"Transcript:\n{conversation.transcript()}\n" + _corrections_line(conversation) + _words_line(conversation)
    )
    result = await model.complete(system=REPORT_SYSTEM, prompt=prompt, max_output_tokens=800)
    data = _json_object(result.text)
    return Narrative(
        summary=str(data.get("summary", "")).strip(),
        strengths=_short_list(data.get("strengths")),
        weak_points=_short_list(data.get("weak_points")),
        usage=result.usage,
        model=result.model,
    )


def _json_object(text: str) -> dict:
    """Models wrap JSON in prose or code fences now and then: take the outermost object."""
    start, end = text.find("{"), text.rfind("}")
    try:
        data = json.loads(text[start : end + 1]) if start != -1 and end > start else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise TextModelError("the model did not answer with a JSON object", retryable=True)
    return data


def _short_list(value: object, limit: int = 4) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(item).strip()[:200] for item in value if str(item).strip())[:limit]


@dataclass(frozen=True)
class Outcomes:
    """What became of each thing the student was asked, from their answers and the corrections on them."""

    first_time: int  # right at the first answer
    helped: int  # right after a correction or a hint
    missed: int  # the session ended before a right answer

    @property
    def asked(self) -> int:
        return self.first_time + self.helped + self.missed


def outcomes(conversation: Conversation) -> Outcomes:
    """Answers in order: a corrected one (a spelling slip aside, which still counts as right) is tried
    again, so the run of answers up to the next uncorrected one is one question."""
    wrong = {c.turn for c in conversation.corrections if c.category != "spelling" and c.turn is not None}
    first_time = helped = tries = 0
    for turn in conversation.turns:
        if turn.role != "student" or not turn.text.strip():
            continue
        if turn.index in wrong:
            tries += 1
            continue
        first_time, helped, tries = first_time + (tries == 0), helped + (tries > 0), 0
    return Outcomes(first_time=first_time, helped=helped, missed=int(tries > 0))


def extractive_narrative(conversation: Conversation) -> Narrative:
    """A report without a text model: counts turned into sentences, mistakes quoted."""
    answers = [t for t in conversation.turns if t.role == "student" and t.text.strip()]
    done = outcomes(conversation)
    strengths: list[str] = []
    if conversation.objectives_met:
        strengths.append("Achieved: " + "; ".join(conversation.objectives_met))
    if conversation.words_learned:
        strengths.append("Used new words correctly: " + ", ".join(conversation.words_learned[:8]))
    elif conversation.words_used:
        strengths.append("Used lesson words: " + ", ".join(conversation.words_used[:8]))
    if done.asked and done.first_time * 2 > done.asked:
        strengths.append(f"Most answers were right the first time ({done.first_time} of {done.asked})")
    by_category: dict[str, list[CorrectionText]] = {}
    for correction in conversation.corrections:
        by_category.setdefault(correction.category, []).append(correction)
    weak_points = tuple(
        f"{category.replace('_', ' ')}: «{items[0].original}» → «{items[0].corrected}»"
        for category, items in sorted(by_category.items(), key=lambda pair: -len(pair[1]))[:4]
    )
    met = len(conversation.objectives_met)
    length = f"{conversation.minutes:.0f} min" if conversation.minutes >= 1 else "under a minute"
    summary = (
        f"{len(answers)} answers in {length} with {conversation.tutor}; "
        f"{met} of {len(conversation.objectives)} objectives met; "
        f"{len(conversation.corrections)} correction{'s' if len(conversation.corrections) != 1 else ''}. "
        f"Of {done.asked} question{'s' if done.asked != 1 else ''}: {done.first_time} right the first time, "
        f"{done.helped} after a correction or a hint, {done.missed} not managed."
    )
    if not answers:
        summary = f"The session with {conversation.tutor} ended before the student answered."
    return Narrative(summary=summary, strengths=tuple(strengths), weak_points=weak_points)
