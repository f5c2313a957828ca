"""Filters that turn stored values into words a learner reads: language names, text direction, and the
app's one way of writing durations, intervals, money, numbers and dates (practice/formatting.py)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info

from lessons.templatetags.lesson_text import shown_html

from .. import formatting
from ..models import Card, CorrectionCategory
from ..selectors.deck import card_cue as cue_of

register = template.Library()

register.filter("duration", formatting.duration)
register.filter("interval", formatting.interval)
register.filter("money", formatting.money)
register.filter("cost", formatting.cost)  # {{ usd|cost:unpriced }}
register.filter("month", formatting.month)
register.filter("number", formatting.number)
register.filter("ago", formatting.ago)
register.filter("day", formatting.day)
register.filter("date_only", formatting.date)
register.filter("date_time", formatting.date_time)


def _info(code: str) -> dict | None:
    base = (code or "").split("-")[0].lower()
    try:
        return get_language_info(base)
    except KeyError:
        return None


@register.filter
def language_name(code: str) -> str:
    """ "fr-FR" or "fr" to "French" in the page's language; codes Django does not know stay as they are."""
    info = _info(code)
    return info["name_translated"] if info else code


@register.filter
def text_direction(code: str) -> str:
    """ "rtl" for a right-to-left language (Arabic, Hebrew, Persian, Urdu…), else "ltr"."""
    info = _info(code)
    return "rtl" if info and info["bidi"] else "ltr"


@register.simple_tag
def lang_attrs(code: str) -> SafeString:
    """`lang` and `dir` of text written in `code` (a lesson's language), for the element that holds it."""
    return format_html('lang="{}" dir="{}"', code, text_direction(code))


@register.filter
def category_label(value: str) -> str:
    """A correction category ("word_order") as the learner reads it ("Word order")."""
    try:
        return str(CorrectionCategory(value).label)
    except ValueError:
        return value


@register.filter
def get_item(mapping: dict, key):
    """A dict's value in a template: `decks|get_item:student.pk`."""
    return mapping.get(key)


@register.simple_tag
def card_cue(card: Card) -> SafeString:
    """What the card asks, in the page's language where it can (practice/selectors/deck.py card_cue)."""
    return shown_html(cue_of(card))


@register.filter
def explained_in(session) -> str:
    """The language a session's corrections are explained in: the tutor explains in its student's own language
    (the instructions of the live models and the offline tutor's explanations alike)."""
    return (session.student.native_language or "en").split("-")[0].lower()
