"""A lesson's text as one reader reads it: its title, scenarios, objectives and each word's translation in the
reader's language when the teacher gave them, else in the lesson's own language, marked as such (`Shown.fallback`),
so a page can say so. The reader's language is the language the page is read in (Django's active language).

An objective keeps its own wording as its identity (what a session stores and the tutor's complete_objective
names); its translations are only for display. A spoken review's lesson is the app's own, not a teacher's: its
title and tutor are the app's words, translated like any other.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Lesson, Purpose, VocabularyItem


@dataclass(frozen=True)
class Shown:
    text: str
    language: str  # the language `text` is written in
    fallback: bool = False  # not in the reader's language: the lesson's own


def base(code: str) -> str:
    """ "es-MX" to "es": translations are kept per language, not per region."""
    return (code or "").split("-")[0].lower()


def site_language(code: str | None) -> str:
    """`code` as one of the languages the site is read in ("es-mx" to "es"), or "" when it is none of them."""
    found = base(code or "")
    return found if found in dict(settings.LANGUAGES) else ""


def reader_language(language: str | None = None) -> str:
    """`language`, or the page's language (Django's active one)."""
    return base(language or translation.get_language() or "en")


def _own(lesson: Lesson, text: str, language: str) -> Shown:
    own = base(lesson.text_language)
    return Shown(text, own, fallback=own != language)


def _translated(lesson: Lesson, language: str) -> dict:
    if base(lesson.text_language) == language:
        return {}
    found = (lesson.translations or {}).get(language)
    return found if isinstance(found, dict) else {}


def title(lesson: Lesson, language: str | None = None) -> Shown:
    language = reader_language(language)
    if lesson.purpose == Purpose.REVIEW:
        with translation.override(language):
            return Shown(_("Spoken review"), language)
    text = _translated(lesson, language).get("title")
    return Shown(text, language) if text else _own(lesson, lesson.title, language)


def persona(lesson: Lesson, language: str | None = None) -> str:
    """The tutor's name: the teacher's for a lesson, the app's word for a spoken review's tutor."""
    if lesson.purpose == Purpose.REVIEW:
        with translation.override(reader_language(language)):
            return _("Tutor")
    return lesson.persona_name


def scenario(lesson: Lesson, language: str | None = None) -> Shown:
    """The tutor's brief, for the teacher's pages."""
    language = reader_language(language)
    text = _translated(lesson, language).get("scenario")
    return Shown(text, language) if text else _own(lesson, lesson.scenario, language)


def objective(lesson: Lesson, own_wording: str, language: str | None = None) -> Shown:
    """An objective named by its own wording, in the reader's language where the teacher translated it."""
    language = reader_language(language)
    translated = _translated(lesson, language).get("objectives") or []
    objectives = list(lesson.objectives or [])
    if own_wording in objectives:
        position = objectives.index(own_wording)
        if position < len(translated) and translated[position]:
            return Shown(translated[position], language)
    return _own(lesson, own_wording, language)


def objectives(lesson: Lesson, language: str | None = None) -> list[Shown]:
    return [objective(lesson, own, language) for own in lesson.objectives or []]


def student_scenario(lesson: Lesson, language: str | None = None) -> Shown:
    """What the student reads before starting: the teacher's words for them, or, when they wrote none, the tutor's
    name and the goals; never the tutor's brief, which speaks of "the student" and tells how to play them."""
    language = reader_language(language)
    written = _translated(lesson, language).get("student_scenario")
    if written:
        return Shown(written, language)
    if lesson.student_scenario:
        return _own(lesson, lesson.student_scenario, language)
    goals = objectives(lesson, language)
    with translation.override(language):
        if goals:
            text = _("You talk with %(persona)s. Your goals: %(goals)s.") % {
                "persona": persona(lesson, language),
                "goals": "; ".join(goal.text for goal in goals),
            }
            return Shown(text, language, fallback=any(goal.fallback for goal in goals))
        shown = title(lesson, language)
        text = _("You talk with %(persona)s about “%(title)s”.") % {
            "persona": persona(lesson, language),
            "title": shown.text,
        }
        return Shown(text, language, fallback=shown.fallback)


def word_translation(item: VocabularyItem, lesson: Lesson, language: str | None = None) -> Shown | None:
    """What a lesson word means, in the reader's language where the teacher gave it; None when it has no
    translation at all."""
    language = reader_language(language)
    if base(lesson.text_language) != language:
        text = (item.translations or {}).get(language)
        if text:
            return Shown(text, language)
    return _own(lesson, item.translation, language) if item.translation else None


def word_cues(item: VocabularyItem, lesson: Lesson) -> list[list[str]]:
    """Every translation of a word as [language, text] pairs, the lesson's own language first: what a word card
    keeps, so it can ask in whichever language its student reads."""
    own = [[base(lesson.text_language), item.translation]] if item.translation else []
    others = [
        [base(code), text]
        for code, text in sorted((item.translations or {}).items())
        if text and base(code) != base(lesson.text_language)
    ]
    return own + others
