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
from tutor.providers.text import TextModel, TextModelError

from .services.writing import write_with_text_model
from .writers import language_name

DRAFT_SYSTEM = (
    "You translate the text of a language lesson for learners who read it in their own language. The lesson's "
    "own text is in {own}; translate it into each language asked, plainly, for learners, keeping names as they "
    "are. The words are in the language being learned: give what each means, as a short gloss, never the word "
    "itself (in the language being learned, a short definition). Answer with JSON only, of this shape: "
    '{{"<language code>": {{"title": "...", "student_scenario": "...", "scenario": "...", '
    '"objectives": ["one per objective, in order"], "words": {{"<word>": "..."}}}}}}.'
)


LIMITS = {"title": 200, "student_scenario": 2000, "scenario": 4000}  # as a lesson file allows


@dataclass(frozen=True)
class Drafted:
    drafts: dict  # {language: {"title", "scenario", "student_scenario", "objectives": [...], "words": {term: text}}}
    written: bool  # False: this site has no text model, or it failed; nothing was drafted


def lesson_translation_drafts(spec: LessonSpec, *, languages: list[str], provider: str) -> Drafted:
    """Drafts in `languages`, by the text model of `provider` (the service the lesson runs on)."""
    if not languages:
        return Drafted({}, written=False)
    return write_with_text_model(
        provider,
        with_model=lambda model: _drafts(model, spec, languages),
        without=lambda: Drafted({}, written=False),
        fallback=True,  # a teacher is waiting: no retry later, the page says nothing was drafted
    )


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
    result = await model.complete(system=system, prompt=prompt, max_output_tokens=3000)
    return Drafted(_parse(result.text, spec, languages), written=True)


def _parse(text: str, spec: LessonSpec, languages: list[str]) -> dict:
    """What the model gave of each language asked, in the lesson's shape; anything else is dropped."""
    start, end = text.find("{"), text.rfind("}")
    try:
        data = json.loads(text[start : end + 1]) if start != -1 and end > start else None
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        raise TextModelError("the model did not answer with a JSON object", retryable=False)
    terms = {item.term for item in spec.vocabulary}
    drafts = {}
    for code in languages:
        given = data.get(code)
        if not isinstance(given, dict):
            continue
        objectives = given.get("objectives")
        words = given.get("words") if isinstance(given.get("words"), dict) else {}
        drafts[code] = {
            **{part: str(given[part]).strip()[: LIMITS[part]] for part in LIMITS if given.get(part)},
            "objectives": [str(o).strip() for o in objectives]
            if isinstance(objectives, list) and len(objectives) == len(spec.objectives)
            else [],
            "words": {term: str(value).strip() for term, value in words.items() if term in terms and value},
        }
    return drafts
