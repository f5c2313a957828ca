"""The progress page's charts, built from tutor.progress: each an SVG plus the table of its numbers."""

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tutor.accounts.models import User

from . import progress
from .charts import Series, bar_chart, line_chart
from .models import CorrectionCategory


@dataclass(frozen=True)
class ChartPanel:
    chart_id: str
    title: str
    svg: SafeString
    columns: tuple[str, ...]  # the table's header: the week, then one column per series
    rows: tuple[tuple[str, ...], ...]
    empty: bool


def _label(week: dt.date) -> str:
    return date_format(week, "j M")


def _number(value: float) -> str:
    return f"{value:g}"


def _panel(chart_id: str, title: str, svg: SafeString, weeks: tuple[dt.date, ...], series: list[Series]) -> ChartPanel:
    rows = tuple((_label(week), *(_number(s.values[i]) for s in series)) for i, week in enumerate(weeks))
    empty = not any(value for s in series for value in s.values)
    return ChartPanel(chart_id, title, svg, (_("Week of"), *(s.name for s in series)), rows, empty)


def progress_charts(*, student: User, weeks: int = 12, today: dt.date | None = None) -> list[ChartPanel]:
    minutes = progress.minutes_per_week(student=student, weeks=weeks, today=today)
    corrections = progress.corrections_per_week(student=student, weeks=weeks, today=today)
    words = progress.words_learned_per_week(student=student, weeks=weeks, today=today)
    labels = [_label(week) for week in minutes.weeks]

    minutes_series = [Series(_("Minutes"), minutes.values)]
    title = _("Minutes of practice per week")
    minutes_svg = bar_chart(labels, minutes_series, title=title, unit=_("minutes"), chart_id="chart-minutes")

    correction_series = [
        Series(str(CorrectionCategory(category).label), values) for category, values in corrections.by_category.items()
    ] or [Series(_("Corrections"), tuple(0 for _week in corrections.weeks))]
    corrections_title = _("Corrections per week, by kind")
    corrections_svg = bar_chart(
        labels, correction_series, title=corrections_title, unit=_("corrections"), chart_id="chart-corrections",
        legend=True,
    )  # fmt: skip

    words_series = [Series(_("Words learned"), words.values)]
    words_title = _("Words learned, in total")
    words_svg = line_chart(labels, words_series, title=words_title, unit=_("words"), chart_id="chart-words")

    return [
        _panel("chart-minutes", title, minutes_svg, minutes.weeks, minutes_series),
        _panel("chart-corrections", corrections_title, corrections_svg, corrections.weeks, correction_series),
        _panel("chart-words", words_title, words_svg, words.weeks, words_series),
    ]
