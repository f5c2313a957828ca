"""Writing summaries and reports from a conversation, with a text model or, offline, by extraction.

Plain values in, plain values out: the services (practice/services/summaries.py, reports.py) read the
database and store the result; this module only writes. Both ways write in the reader's language
(`Conversation.reader_language`, accounts.User.reading_language): the text model is asked for it, and
the extractive writer's sentences, plurals and kinds of correction come from the app's translations.
The prompts themselves stay in English, which every text model reads best.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from rapidfuzz import fuzz, utils

from tutor.events import TokenUsage
from tutor.providers.text import TextModel, TextModelError, TextResult

from .formatting import duration
from .models import CORRECTION_LABELS


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
    rule: str = ""  # the rule broken, one named line a mistake, in the student's language


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
    reader_language: str = "en"  # what the summary and the report are written in

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
    "so the tutor can carry on later without the transcript. Write in {language}, at most 120 words, as plain "
    "sentences: what was talked about and where the role-play stands, what the student could and could not "
    "say (quote their mistakes briefly, as they said them), the lesson words they used, and what the tutor "
    'asked last. Answer with JSON: {{"summary": "..."}}.'
)
# The JSON each answer must be, asked for through the service's structured output (a response schema). Strict
# schemas, as OpenAI's strict mode wants them: every property required, no others.
SUMMARY_SCHEMA = {
    "type": "object",
    "properties": {"summary": {"type": "string"}},
    "required": ["summary"],
    "additionalProperties": False,
}
REPORT_SCHEMA = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "strengths": {"type": "array", "items": {"type": "string"}},
        "weak_points": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["summary", "strengths", "weak_points"],
    "additionalProperties": False,
}


def language_name(code: str) -> str:
    """A language code as its English name, for a prompt ("fr" to "French"); an unknown code stays."""
    try:
        return translation.get_language_info(code.split("-")[0].lower())["name"]
    except KeyError:
        return code


async def model_summary(model: TextModel, conversation: Conversation) -> Written:
    first, last = conversation.turns[0].index, conversation.turns[-1].index
    prompt = (
        f"Lesson: {conversation.lesson_title} ({conversation.language}). Scenario: {conversation.scenario}\n"
        f"Turns {first} to {last}:\n{conversation.transcript()}\n"
        + _corrections_line(conversation)
        + _words_line(conversation)
    )
    system = SUMMARY_SYSTEM.format(language=language_name(conversation.reader_language))
    result = await model.complete(system=system, prompt=prompt, schema=SUMMARY_SCHEMA, max_output_tokens=400)
    text = str(json_answer(result).get("summary") or "").strip()
    if not text:
        raise _unusable("the model returned an empty summary", result)
    return Written(text=text, usage=result.usage, model=result.model)


def extractive_summary(conversation: Conversation, *, max_chars: int = 700) -> Written:
    """Key sentences, the corrections and the words used, in order, within `max_chars`."""
    with translation.override(conversation.reader_language):
        return _extractive_summary(conversation, max_chars=max_chars)


def _extractive_summary(conversation: Conversation, *, max_chars: int) -> Written:
    first, last = conversation.turns[0].index, conversation.turns[-1].index
    head = _("Turns %(first)d to %(last)d of “%(title)s”.") % {
        "first": first,
        "last": last,
        "title": conversation.lesson_title,
    }
    tail = _corrections_sentence(conversation) + _words_sentence(conversation)
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
    """For a prompt, in English."""
    if not conversation.corrections:
        return ""
    items = "; ".join(
        f"«{c.original}» → «{c.corrected}» ({c.category}{': ' + ' '.join(c.rule.splitlines()) if c.rule else ''})"
        for c in conversation.corrections[:6]
    )
    return f"Corrections (kind: the rule broken): {items}.\n"


def _words_line(conversation: Conversation) -> str:
    """For a prompt, in English."""
    return f"Lesson words used: {', '.join(conversation.words_used)}.\n" if conversation.words_used else ""


def kind_label(category: str) -> str:
    """A kind of correction as the reader reads it ("word_order" to "Word order", in their language)."""
    return str(CORRECTION_LABELS.get(category, category))


def _correction_text(correction: CorrectionText) -> str:
    return _("“%(original)s” → “%(corrected)s”") % {"original": correction.original, "corrected": correction.corrected}


def _with_rule(correction: CorrectionText) -> str:
    """A correction and, when the tutor named it, the rule it broke (its lines on one)."""
    text = _correction_text(correction)
    return f"{text} ({' '.join(correction.rule.splitlines())})" if correction.rule else text


def _corrections_sentence(conversation: Conversation) -> str:
    """For the reader, in the active language."""
    if not conversation.corrections:
        return ""
    items = "; ".join(f"{_correction_text(c)} ({kind_label(c.category).lower()})" for c in conversation.corrections[:6])
    return _("Corrections: %(items)s.") % {"items": items} + "\n"


def _words_sentence(conversation: Conversation) -> str:
    """For the reader, in the active language."""
    if not conversation.words_used:
        return ""
    return _("Lesson words used: %(words)s.") % {"words": ", ".join(conversation.words_used)} + "\n"


# ---- reports -----------------------------------------------------------------------------------

REPORT_SYSTEM = (
    "You are a language teacher writing a short, encouraging report on one practice session for the "
    "student and their teacher. Answer with JSON only, of this shape: "
    '{{"summary": "two or three sentences", "strengths": ["..."], "weak_points": ["..."]}}. '
    "Strengths and weak points are short phrases (at most 4 of each), concrete, quoting the student where "
    "useful. Write in {language}, the student's own language; quote what the student said as they said it."
)


async def model_narrative(model: TextModel, conversation: Conversation) -> Narrative:
    prompt = (
        f"Lesson: {conversation.lesson_title} ({conversation.language}). Scenario: {conversation.scenario}\n"
        f"Objectives: {'; '.join(conversation.objectives) or 'none'}. "
        f"Met: {'; '.join(conversation.objectives_met) or 'none'}.\n"
        f"Transcript:\n{conversation.transcript()}\n" + _corrections_line(conversation) + _words_line(conversation)
    )
    system = REPORT_SYSTEM.format(language=language_name(conversation.reader_language))
    result = await model.complete(system=system, prompt=prompt, schema=REPORT_SCHEMA, max_output_tokens=800)
    data = json_answer(result)
    if not str(data.get("summary") or "").strip():
        raise _unusable("the model returned a report without a summary", result)
    return Narrative(
        summary=str(data.get("summary", "")).strip(),
        strengths=_short_list(data.get("strengths")),
        weak_points=_short_list(data.get("weak_points")),
        usage=result.usage,
        model=result.model,
    )


def json_answer(result: TextResult) -> dict:
    """The answer's JSON object. Structured output makes it the whole text; a model that still wraps it in prose
    or code fences has its outermost object taken. Anything else is unusable (and was billed all the same)."""
    text = result.text
    start, end = text.find("{"), text.rfind("}")
    try:
        data = json.loads(text[start : end + 1]) if start != -1 and end > start else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise _unusable("the model did not answer with the JSON object asked for", result)
    return data


def _unusable(message: str, result: TextResult) -> TextModelError:
    """An answer the service billed that cannot be used: worth one more try, and its tokens are recorded."""
    return TextModelError(message, retryable=True, usage=result.usage, model=result.model, unusable=True)


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
    """A report without a text model: counts turned into sentences, mistakes quoted, in the reader's
    language."""
    with translation.override(conversation.reader_language):
        return _extractive_narrative(conversation)


def _extractive_narrative(conversation: Conversation) -> Narrative:
    answers = [t for t in conversation.turns if t.role == "student" and t.text.strip()]
    done = outcomes(conversation)
    strengths: list[str] = []
    if conversation.objectives_met:
        strengths.append(_("Achieved: %(objectives)s") % {"objectives": "; ".join(conversation.objectives_met)})
    if conversation.words_learned:
        strengths.append(
            _("Used new words correctly: %(words)s") % {"words": ", ".join(conversation.words_learned[:8])}
        )
    elif conversation.words_used:
        strengths.append(_("Used lesson words: %(words)s") % {"words": ", ".join(conversation.words_used[:8])})
    if done.asked and done.first_time * 2 > done.asked:
        strengths.append(
            _("Most answers were right the first time (%(right)d of %(asked)d)")
            % {"right": done.first_time, "asked": done.asked}
        )
    each: dict[tuple[str, str], CorrectionText] = {}
    for correction in conversation.corrections:
        each.setdefault((correction.original, correction.corrected), correction)  # once, as first made
    kinds = Counter(c.category for c in conversation.corrections)
    weak_points = tuple(
        _("%(kind)s: %(correction)s") % {"kind": kind_label(c.category), "correction": _with_rule(c)}
        for c in sorted(each.values(), key=lambda c: -kinds[c.category])[:4]  # the most frequent kinds first
    )
    if not answers:
        summary = _("The session with %(tutor)s ended before %(learner)s answered.") % {
            "tutor": conversation.tutor,
            "learner": conversation.learner,
        }
        return Narrative(summary=summary, strengths=tuple(strengths), weak_points=weak_points)
    parts = [
        ngettext("%(count)d answer in %(time)s with %(tutor)s", "%(count)d answers in %(time)s with %(tutor)s",
                 len(answers)) % {"count": len(answers), "time": duration(conversation.minutes * 60),
                                  "tutor": conversation.tutor},
    ]  # fmt: skip
    if conversation.objectives:
        total, met = len(conversation.objectives), len(conversation.objectives_met)
        parts.append(
            ngettext("%(met)d of %(total)d objective met", "%(met)d of %(total)d objectives met", total)
            % {"met": met, "total": total}
        )
    count = len(conversation.corrections)
    parts.append(ngettext("%(count)d correction", "%(count)d corrections", count) % {"count": count})
    summary = pgettext("between the parts of a report's first sentence", "; ").join(parts) + "."
    if done.asked:
        summary += " " + ngettext(
            "Of %(asked)d question: %(right)d right the first time, %(helped)d after a correction or a hint, "
            "%(missed)d not managed.",
            "Of %(asked)d questions: %(right)d right the first time, %(helped)d after a correction or a hint, "
            "%(missed)d not managed.",
            done.asked,
        ) % {"asked": done.asked, "right": done.first_time, "helped": done.helped, "missed": done.missed}
    return Narrative(summary=summary, strengths=tuple(strengths), weak_points=weak_points)
