"""The progress pages' charts: the student's (each an SVG plus the table of its numbers) and a class's
(tables of the same numbers are on its page)."""

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import User

from .charts import Series, bar_chart, line_chart
from .models import CorrectionCategory
from .selectors import deck, progress
from .selectors.progress import ClassProgress


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


def student_progress_charts(*, student: User, weeks: int = 12, today: dt.date | None = None) -> list[ChartPanel]:
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

    retention = deck.retention_per_week(student=student, weeks=weeks, today=today)
    retention_series = [Series(_("Remembered"), retention.values)]
    retention_title = _("Retention of learned cards, per week")
    retention_svg = line_chart(labels, retention_series, title=retention_title, unit="%", chart_id="chart-retention")

    learned = deck.cards_learned_per_week(student=student, weeks=weeks, today=today)
    learned_series = [Series(_("Cards learned"), learned.values)]
    learned_title = _("Cards learned per week")
    learned_svg = bar_chart(labels, learned_series, title=learned_title, unit=_("cards"), chart_id="chart-cards")

    return [
        _panel("chart-minutes", title, minutes_svg, minutes.weeks, minutes_series),
        _panel("chart-corrections", corrections_title, corrections_svg, corrections.weeks, correction_series),
        _panel("chart-words", words_title, words_svg, words.weeks, words_series),
        _panel("chart-retention", retention_title, retention_svg, retention.weeks, retention_series),
        _panel("chart-cards", learned_title, learned_svg, learned.weeks, learned_series),
    ]


# ---- a class ---------------------------------------------------------------------------------------

LABEL_CHARS = 16


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def class_progress_charts(progress: ClassProgress) -> dict[str, SafeString]:
    names = [_short(s.student.display_name) for s in progress.students]
    charts = {
        "minutes": bar_chart(
            names,
            [Series(_("Minutes"), [s.minutes for s in progress.students])],
            title=_("Minutes practised, per student"),
            unit=_("minutes"),
            chart_id="chart-minutes",
        ),
        "sessions": bar_chart(
            names,
            [Series(_("Sessions"), [s.sessions for s in progress.students])],
            title=_("Sessions, per student"),
            unit=_("sessions"),
            chart_id="chart-sessions",
        ),
        "words": bar_chart(
            names,
            [Series(_("Words learned"), [s.words_learned for s in progress.students])],
            title=_("Words learned, per student"),
            unit=_("words"),
            chart_id="chart-words",
        ),
        "corrections": bar_chart(
            names,
            [
                Series(CorrectionCategory(value).label, [s.corrections.get(value, 0) for s in progress.students])
                for value in progress.categories
            ],
            title=_("Corrections by kind, per student"),
            unit=_("corrections"),
            chart_id="chart-corrections",
            legend=True,
        ),
    }
    if progress.lessons:
        charts["completion"] = bar_chart(
            [_short(item.lesson.title) for item in progress.lessons],
            [
                Series(_("Completed"), [item.completed for item in progress.lessons]),
                Series(_("Tried, not completed"), [item.attempted for item in progress.lessons]),
                Series(_("Not started"), [item.not_started for item in progress.lessons]),
            ],
            title=_("Assigned lessons: students who completed, tried, or have not started each"),
            unit=_("students"),
            chart_id="chart-completion",
        )
    return charts
