"""The costs page's chart: what was spent each month, stacked by class (or the whole site, for an operator), as
a panel of a title, an SVG and the table of the same amounts (templates/includes/chart_panel.html shows it)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .charts import Series, bar_chart, drawn
from .formatting import cost, duration, money, month
from .progress_charts import ChartPanel
from .selectors.costs import CostRow, CostsOverview, Practice

CHART_ID = "chart-costs"


def _money_text(usd: float) -> str:
    return money(usd)


def costs_chart(overview: CostsOverview) -> ChartPanel:
    """Operators see the site's total (classes overlap when a student is in two); a teacher, each class. Where
    nothing was spent but the tutor was used (the offline tutor costs nothing), the time is charted instead."""
    rows: tuple[CostRow, ...] = (
        (CostRow(_("Whole site"), overview.site.months, practice=overview.site.practice),)
        if overview.site
        else overview.classrooms
    )
    labels = [month(first_day) for first_day in overview.months]
    spent = any(spend.usd or spend.unpriced for row in rows for spend in row.months)
    if not spent and any(p.seconds for row in rows for p in row.practice):
        return _time_chart(rows, labels)
    series = [Series(row.label, [float(spend.usd) for spend in row.months]) for row in rows]
    title = _("Cost per month")
    svg = drawn(
        bar_chart, labels, series or [Series(_("Cost"), [0.0] * len(labels))], title=title, unit="USD",
        chart_id=CHART_ID, legend=len(series) > 1, value_text=_money_text,
    )  # fmt: skip
    table = tuple(
        (label, *(cost(row.months[i].usd, row.months[i].unpriced) for row in rows)) for i, label in enumerate(labels)
    )
    empty = not any(spend.usd or spend.unpriced for row in rows for spend in row.months)
    return ChartPanel(CHART_ID, title, svg, (_("Month"), *(row.label for row in rows)), table, empty)


def _minutes_text(minutes: float) -> str:
    return duration(minutes * 60)


def _time_chart(rows: tuple[CostRow, ...], labels: list[str]) -> ChartPanel:
    series = [Series(row.label, [p.seconds / 60 for p in row.practice]) for row in rows]
    title = _("Time with the tutor per month (nothing was spent)")
    svg = drawn(
        bar_chart, labels, series, title=title, unit=_("minutes"), chart_id=CHART_ID, legend=len(series) > 1,
        value_text=_minutes_text,
    )  # fmt: skip
    table = tuple((label, *(_practice_text(row.practice[i]) for row in rows)) for i, label in enumerate(labels))
    return ChartPanel(CHART_ID, title, svg, (_("Month"), *(row.label for row in rows)), table, False)


def _practice_text(practice: Practice) -> str:
    sessions = ngettext("%(count)d session", "%(count)d sessions", practice.sessions) % {"count": practice.sessions}
    return f"{duration(practice.seconds)} · {sessions}"
