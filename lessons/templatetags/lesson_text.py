"""A lesson's text in the page's language (lessons/texts.py), for templates: {% lesson_title lesson %} and its
kin write the text with its language on the element, and, when it is the lesson's own because the reader's has no
translation, a visible mark naming that language. The `…_text` filters give plain text, for attributes and titles.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from .. import texts
from ..models import Lesson, VocabularyItem

register = template.Library()


def _language_name(code: str) -> str:
    try:
        return get_language_info(texts.base(code))["name_translated"]
    except KeyError:
        return code


def shown_html(shown: texts.Shown | None) -> SafeString:
    """The text with its language; a fallback gets a mark (a badge naming the language it is written in)."""
    if shown is None:
        return mark_safe("")
    if not shown.language:
        return format_html('<span dir="auto">{}</span>', shown.text)
    if not shown.fallback:
        return format_html('<span lang="{}" dir="auto">{}</span>', shown.language, shown.text)
    return format_html(
        '<span lang="{}" dir="auto">{}</span> <span class="badge untranslated" title="{}">{}</span>',
        shown.language,
        shown.text,
        _("Not translated into your language yet: this is the lesson's own text."),
        _language_name(shown.language),
    )


@register.simple_tag
def shown(value: texts.Shown | None) -> SafeString:
    """A text a selector already chose for the reader (`texts.Shown`)."""
    return shown_html(value)


@register.simple_tag
def lesson_title(lesson: Lesson) -> SafeString:
    return shown_html(texts.title(lesson))


@register.filter
def lesson_title_text(lesson: Lesson) -> str:
    return texts.title(lesson).text


@register.filter
def persona(lesson: Lesson) -> str:
    return texts.persona(lesson)


@register.simple_tag
def student_scenario(lesson: Lesson) -> SafeString:
    return shown_html(texts.student_scenario(lesson))


@register.simple_tag
def scenario(lesson: Lesson) -> SafeString:
    return shown_html(texts.scenario(lesson))


@register.simple_tag
def objective(lesson: Lesson, own_wording: str) -> SafeString:
    return shown_html(texts.objective(lesson, own_wording))


@register.filter
def objective_text(own_wording: str, lesson: Lesson) -> str:
    """{{ objective|objective_text:lesson }}"""
    return texts.objective(lesson, own_wording).text


@register.simple_tag
def word_translation(lesson: Lesson, item: VocabularyItem) -> SafeString:
    return shown_html(texts.word_translation(item, lesson))
