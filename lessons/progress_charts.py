"""The class progress page's charts (server-rendered SVG from tutor.charts); tables carry the same numbers."""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tutor.charts import Series, bar_chart
from tutor.models import CorrectionCategory

from .class_progress import ClassProgress

LABEL_CHARS = 16


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def progress_charts(progress: ClassProgress) -> dict[str, SafeString]:
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
