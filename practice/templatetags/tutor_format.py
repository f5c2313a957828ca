"""Filters that turn stored values into words a learner reads: language names, durations and intervals."""

from django import template
from django.utils.translation import get_language_info, gettext, ngettext

from ..models import CorrectionCategory

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """ "fr-FR" or "fr" to "French" in the page's language; codes Django does not know stay as they are."""
    base = (code or "").split("-")[0].lower()
    try:
        return get_language_info(base)["name_translated"]
    except KeyError:
        return code


@register.filter
def duration(seconds: float | None) -> str:
    """Seconds as "45 s", "12 min" or "1 h 05 min"."""
    total = round(seconds or 0)
    if total < 60:
        return gettext("%(seconds)d s") % {"seconds": total}
    minutes = round(total / 60)
    if minutes < 60:
        return ngettext("%(minutes)d min", "%(minutes)d min", minutes) % {"minutes": minutes}
    return gettext("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


@register.filter
def category_label(value: str) -> str:
    """A correction category ("word_order") as the learner reads it ("Word order")."""
    try:
        return str(CorrectionCategory(value).label)
    except ValueError:
        return value


@register.filter
def interval(seconds: float | None) -> str:
    """How long until a card comes back: "10 min", "5 h", "3 days", "4 months"."""
    total = max(0, round(seconds or 0))
    if total < 3600:
        minutes = max(1, round(total / 60))
        return ngettext("%(count)d min", "%(count)d min", minutes) % {"count": minutes}
    if total < 86400:
        hours = round(total / 3600)
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = round(total / 86400)
    if days < 60:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    months = round(days / 30)
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}


@register.filter
def get_item(mapping: dict, key):
    """A dict's value in a template: `decks|get_item:student.pk`."""
    return mapping.get(key)
