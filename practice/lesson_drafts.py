"""Drafts of a lesson's text in other languages (title, scenarios, objectives, the words' translations), written by
the site's text model for the teacher to read, change and accept (templates/teach/lessons/translations.html). With
no text model (the offline tutor), nothing is drafted: the translations are left for the teacher.

Plain values in and out: the caller saves nothing until the teacher accepts. The prompt stays in English, which
every text model reads best.
"""

import json
from dataclasses import dataclass

from django.conf import settings

from lessons.spec import LessonSpec
from tutor.events import TokenUsage
from tutor.providers.text import TextModel

from .services.recording import usage_record
from .services.writing import MAX_RETRIES, write_with_text_model
from .writers import json_answer, language_name

DRAFT_SYSTEM = (
    "You translate the text of a language lesson for learners who read it in their own language. The lesson's "
    "own text is in {own}; translate it into each language asked, plainly, for learners, keeping names as they "
    "are. The words are in the language being learned: give what each means, as a short gloss, never the word "
    "itself (in the language being learned, a short definition). Answer with JSON: for each language code asked, "
    "its title, student_scenario, scenario, objectives (one per objective, in order) and words (each word of the "
    "lesson with its meaning)."
)


LIMITS = {"title": 200, "student_scenario": 2000, "scenario": 4000}  # as a lesson file allows
_TEXT = {"type": "string"}
_WORD = {
    "type": "object",
    "properties": {"word": _TEXT, "meaning": _TEXT},
    "required": ["word", "meaning"],
    "additionalProperties": False,
}
# One language's drafts, asked for through the service's structured output (strict: every property required).
_ONE_LANGUAGE = {
    "type": "object",
    "properties": {
        **dict.fromkeys(LIMITS, _TEXT),
        "objectives": {"type": "array", "items": _TEXT},
        "words": {"type": "array", "items": _WORD},
    },
    "required": [*LIMITS, "objectives", "words"],
    "additionalProperties": False,
}


def draft_schema(languages: list[str]) -> dict:
    """The JSON the model answers with: each language asked, as one object."""
    return {
        "type": "object",
        "properties": dict.fromkeys(languages, _ONE_LANGUAGE),
        "required": list(languages),
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class Drafted:
    drafts: dict  # {language: {"title", "scenario", "student_scenario", "objectives": [...], "words": {term: text}}}
    written: bool  # False: this site has no text model, or it failed; nothing was drafted
    usage: TokenUsage | None = None  # what the call was billed (recorded as a usage row of the site's)
    model: str = ""


def lesson_translation_drafts(spec: LessonSpec, *, languages: list[str], provider: str) -> Drafted:
    """Drafts in `languages`, by the text model of `provider` (the service the lesson runs on)."""
    if not languages:
        return Drafted({}, written=False)

    def billed(tokens: TokenUsage, model: str) -> None:
        usage_record(session_id=None, provider=provider, model=model, tokens=tokens, purpose="lesson_draft")

    return write_with_text_model(
        provider,
        with_model=lambda model: _drafts(model, spec, languages),
        without=lambda: Drafted({}, written=False),
        attempt=MAX_RETRIES,  # a teacher is waiting: no retry later, the page says nothing was drafted
        record_usage=billed,
    ).written


def drafting_provider(spec: LessonSpec) -> str:
    return settings.TUTOR.provider_for_lesson(spec.provider)


async def _drafts(model: TextModel, spec: LessonSpec, languages: list[str]) -> Drafted:
    source = {
        "title": spec.title,
        "student_scenario": spec.student_scenario,
        "scenario": spec.scenario,
        "objectives": list(spec.objectives),
        "words": {item.term: item.translation for item in spec.vocabulary},
    }
    prompt = (
        f"Language being learned: {language_name(spec.language)} ({spec.language}).\n"
        f"Translate into: {', '.join(f'{language_name(code)} ({code})' for code in languages)}.\n"
        f"The lesson's text (the words with their meaning in {language_name(spec.text_language)}):\n"
        + json.dumps(source, ensure_ascii=False, indent=1)
    )
    system = DRAFT_SYSTEM.format(own=language_name(spec.text_language))
    schema = draft_schema(languages)
    result = await model.complete(system=system, prompt=prompt, schema=schema, max_output_tokens=3000)
    drafts = _parse(json_answer(result), spec, languages)
    return Drafted(drafts, written=True, usage=result.usage, model=result.model)


def _parse(data: dict, spec: LessonSpec, languages: list[str]) -> dict:
    """What the model gave of each language asked, in the lesson's shape; anything else is dropped."""
    terms = {item.term for item in spec.vocabulary}
    drafts = {}
    for code in languages:
        given = data.get(code)
        if not isinstance(given, dict):
            continue
        objectives = given.get("objectives")
        words = _meanings(given.get("words"))
        drafts[code] = {
            **{part: str(given[part]).strip()[: LIMITS[part]] for part in LIMITS if given.get(part)},
            "objectives": [str(o).strip() for o in objectives]
            if isinstance(objectives, list) and len(objectives) == len(spec.objectives)
            else [],
            "words": {term: str(value).strip() for term, value in words.items() if term in terms and value},
        }
    return drafts


def _meanings(words: object) -> dict[str, object]:
    """The words' meanings, as the schema asks them ([{"word", "meaning"}, ...]) or as a model may still give them
    ({word: meaning})."""
    if isinstance(words, dict):
        return words
    if isinstance(words, list):
        return {str(w.get("word")): w.get("meaning") for w in words if isinstance(w, dict)}
    return {}
