"""The progress pages' charts, the student's and a class's: each a panel of a title, an SVG and the
table of the same numbers (templates/includes/chart_panel.html shows one)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import User

from .charts import Series, ValueText, bar_chart, drawn, line_chart
from .formatting import day, duration, number
from .models import CorrectionCategory
from .selectors import deck, progress
from .selectors.progress import ClassProgress


@dataclass(frozen=True)
class ChartPanel:
    chart_id: str
    title: str
    svg: SafeString
    columns: tuple[str, ...]  # the table's header: what each row is, then one column per series
    rows: tuple[tuple[str, ...], ...]
    empty: bool


def _panel(
    chart_id: str,
    title: str,
    svg: SafeString,
    *,
    row_heading: str,
    labels: Sequence[str],
    series: Sequence[Series],
    value_text: ValueText = number,
) -> ChartPanel:
    rows = tuple(
        (label, *("—" if s.values[i] is None else value_text(s.values[i]) for s in series))
        for i, label in enumerate(labels)
    )
    empty = not any(value for s in series for value in s.values)
    return ChartPanel(chart_id, title, svg, (row_heading, *(s.name for s in series)), rows, empty)


def _minutes_text(minutes: float) -> str:
    return duration(minutes * 60)


def _count_text(value: float) -> str:
    return number(value, 0)


def _percent_text(value: float) -> str:
    return f"{number(value, 0)} %"


def student_progress_charts(*, student: User, weeks: int = 12, today: dt.date | None = None) -> list[ChartPanel]:
    minutes = progress.minutes_per_week(student=student, weeks=weeks, today=today)
    corrections = progress.corrections_per_week(student=student, weeks=weeks, today=today)
    words = progress.words_learned_per_week(student=student, weeks=weeks, today=today)
    labels = [day(week) for week in minutes.weeks]
    week_of = _("Week of")

    minutes_series = [Series(_("Time"), minutes.values)]
    title = _("Practice per week")
    minutes_svg = drawn(
        bar_chart,
        labels,
        minutes_series,
        title=title,
        unit=_("minutes"),
        chart_id="chart-minutes",
        value_text=_minutes_text,
    )

    correction_series = [
        Series(str(CorrectionCategory(category).label), values) for category, values in corrections.by_category.items()
    ] or [Series(_("Corrections"), tuple(0 for _week in corrections.weeks))]
    corrections_title = _("Corrections per week, by kind")
    corrections_svg = drawn(
        bar_chart, labels, correction_series, title=corrections_title, unit=_("corrections"),
        chart_id="chart-corrections", legend=True, counts=True, value_text=_count_text,
    )  # fmt: skip

    words_series = [Series(_("Words learned"), words.values)]
    words_title = _("Words learned, in total")
    words_svg = drawn(
        line_chart, labels, words_series, title=words_title, unit=_("words"), chart_id="chart-words", counts=True,
        value_text=_count_text,
    )  # fmt: skip

    retention = deck.retention_per_week(student=student, weeks=weeks, today=today)
    retention_series = [Series(_("Remembered"), retention.values)]
    retention_title = _("Retention of learned cards, per week")
    retention_svg = drawn(
        line_chart,
        labels,
        retention_series,
        title=retention_title,
        unit="%",
        chart_id="chart-retention",
        value_text=_percent_text,
        top=100,
    )

    learned = deck.cards_learned_per_week(student=student, weeks=weeks, today=today)
    learned_series = [Series(_("Cards learned"), learned.values)]
    learned_title = _("Cards learned per week")
    learned_svg = drawn(
        bar_chart, labels, learned_series, title=learned_title, unit=_("cards"), chart_id="chart-cards", counts=True,
        value_text=_count_text,
    )  # fmt: skip

    return [
        _panel("chart-minutes", title, minutes_svg, row_heading=week_of, labels=labels, series=minutes_series,
               value_text=_minutes_text),
        _panel("chart-corrections", corrections_title, corrections_svg, row_heading=week_of, labels=labels,
               series=correction_series, value_text=_count_text),
        _panel("chart-words", words_title, words_svg, row_heading=week_of, labels=labels, series=words_series,
               value_text=_count_text),
        _panel("chart-retention", retention_title, retention_svg, row_heading=week_of, labels=labels,
               series=retention_series, value_text=_percent_text),
        _panel("chart-cards", learned_title, learned_svg, row_heading=week_of, labels=labels, series=learned_series,
               value_text=_count_text),
    ]  # fmt: skip


# ---- a class ---------------------------------------------------------------------------------------

LABEL_CHARS = 16


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


@dataclass(frozen=True)
class ClassCharts:
    students: list[ChartPanel]  # time, sessions, words learned and corrections by kind, per student
    lessons: list[ChartPanel]  # per assigned lesson: how many completed it, tried it, or have not started


def class_progress_charts(progress: ClassProgress) -> ClassCharts:
    names = [s.student.display_name for s in progress.students]
    short = [_short(name) for name in names]
    student = _("Student")

    def per_student(
        chart_id: str, title: str, unit: str, series: list[Series], *, value_text: ValueText = _count_text, **options
    ) -> ChartPanel:
        svg = drawn(
            bar_chart, short, series, title=title, unit=unit, chart_id=chart_id, value_text=value_text, **options
        )
        return _panel(chart_id, title, svg, row_heading=student, labels=names, series=series, value_text=value_text)

    students = [
        per_student(
            "chart-minutes", _("Practice time, per student"), _("minutes"),
            [Series(_("Time"), [s.seconds / 60 for s in progress.students])], value_text=_minutes_text,
        ),
        per_student(
            "chart-sessions", _("Sessions, per student"), _("sessions"),
            [Series(_("Sessions"), [s.sessions for s in progress.students])], counts=True,
        ),
        per_student(
            "chart-words", _("Words learned, per student"), _("words"),
            [Series(_("Words learned"), [s.words_learned for s in progress.students])], counts=True,
        ),
    ]  # fmt: skip
    if progress.categories:
        kinds = [
            Series(str(CorrectionCategory(value).label), [s.corrections.get(value, 0) for s in progress.students])
            for value in progress.categories
        ]
        students.append(
            per_student(
                "chart-corrections", _("Corrections by kind, per student"), _("corrections"), kinds, legend=True,
                counts=True,
            )
        )  # fmt: skip
    lessons = []
    if progress.lessons:
        titles = [item.lesson.title for item in progress.lessons]
        outcomes = [
            Series(_("Completed"), [item.completed for item in progress.lessons]),
            Series(_("Tried, not completed"), [item.attempted for item in progress.lessons]),
            Series(_("Not started"), [item.not_started for item in progress.lessons]),
        ]
        title = _("Assigned lessons: who completed, tried, or has not started each")
        svg = drawn(
            bar_chart, [_short(t) for t in titles], outcomes, title=title, unit=_("students"),
            chart_id="chart-completion", counts=True, value_text=_count_text,
        )  # fmt: skip
        lessons.append(
            _panel("chart-completion", title, svg, row_heading=_("Lesson"), labels=titles, series=outcomes,
                   value_text=_count_text)
        )  # fmt: skip
    return ClassCharts(students=students, lessons=lessons)
