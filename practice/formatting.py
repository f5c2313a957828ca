"""How the app writes durations, money, numbers and dates, in the language of the page: the one place
that decides it, used by the templates (formatting), the charts and the report writers.

Dates take their shapes from the format modules in config/formats/ (one per language), so "3 Nov" in
English is "3 nov." in French and "3. Nov." in German without a template knowing.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext, pgettext

SMALLEST_AMOUNT = Decimal("0.01")


def duration(seconds: float | None) -> str:
    """Seconds as "18 s" under a minute, "12 min" under an hour, then "1 h 05 min"."""
    total = round(seconds or 0)
    if total < 60:
        return ngettext("%(seconds)d s", "%(seconds)d s", total) % {"seconds": total}
    minutes = round(total / 60)
    if minutes < 60:
        return ngettext("%(minutes)d min", "%(minutes)d min", minutes) % {"minutes": minutes}
    return gettext("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def interval(seconds: float | None) -> str:
    """How long until a card comes back: "10 min", "5 hours", "3 days", "4 months"."""
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


def number(value: float | int | Decimal | None, decimals: int = 1) -> str:
    """A number with the page's decimal and thousands separators, to at most `decimals` places and without
    trailing zeros ("3", "0.25", "1,234.5")."""
    rounded = round(float(value or 0), decimals)
    places = next(places for places in range(decimals + 1) if round(rounded, places) == rounded)
    if places == 0:
        return formats.number_format(int(rounded), force_grouping=True)
    return formats.number_format(rounded, places, force_grouping=True)


def money(usd: Decimal | float | None) -> str:
    """US dollars to the cent ("$0.12"); an amount that rounds to nothing but is not nothing is "< $0.01"."""
    amount = Decimal(str(usd or 0))
    if 0 < amount < SMALLEST_AMOUNT / 2:
        return pgettext("an amount of money below the smallest one shown", "< %(amount)s") % {
            "amount": _dollars(SMALLEST_AMOUNT)
        }
    return _dollars(amount.quantize(SMALLEST_AMOUNT, rounding=ROUND_HALF_UP))


def cost(usd: Decimal | float | None, unpriced: bool = False) -> str:
    """What something cost: "unknown" when none of it had a price, "≥ $0.12, some usage unpriced" when part of
    it had none (the amount is then what is known, a floor), else its amount. Never $0 for an unknown cost."""
    if usd is None or (unpriced and not usd):
        return pgettext("a cost", "unknown")
    if unpriced:
        return gettext("≥ %(amount)s, some usage unpriced") % {"amount": money(usd)}
    return money(usd)


def month(value: dt.date | dt.datetime | None) -> str:
    """A month with its year: "November 2026" (the costs page)."""
    return formats.date_format(_local(value), "YEAR_MONTH_FORMAT") if value else ""


def _dollars(amount: Decimal) -> str:
    written = formats.number_format(amount, 2, force_grouping=True)
    return pgettext("an amount in US dollars", "$%(amount)s") % {"amount": written}


def ago(moment: dt.datetime | None, *, now: dt.datetime | None = None) -> str:
    """How long ago, in the largest unit: "just now" under a minute, else "3 hours ago"."""
    if moment is None:
        return ""
    now = now or timezone.now()
    if (now - moment).total_seconds() < 60:
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(moment, now, depth=1)}


def date(value: dt.date | dt.datetime | None) -> str:
    """A day with its year: "3 Nov 2026"."""
    return formats.date_format(_local(value), "DATE_FORMAT") if value else ""


def date_time(value: dt.datetime | None) -> str:
    """A day and a time: "3 Nov 2026, 14:05"."""
    return formats.date_format(_local(value), "DATETIME_FORMAT") if value else ""


def day(value: dt.date | dt.datetime | None) -> str:
    """A day of this season, without its year: "3 Nov" (chart weeks, due dates)."""
    return formats.date_format(_local(value), "MONTH_DAY_FORMAT") if value else ""


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value
