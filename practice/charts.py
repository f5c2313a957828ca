"""Server-rendered SVG charts: no JavaScript, readable by screen readers, printable.

Each chart is an <svg role="img"> with a <title> and a <desc> that states the numbers in words, so
the picture is never the only way to get at them; the pages also put a table of the same numbers
beside each chart. Numbers are written by practice/formatting.py, in the page's language.

An SVG scales its text with its drawing: a 640-unit drawing shown 330 px wide would write 11 px labels at 6 px. So
a chart is drawn at a few widths (SIZES), each with labels large enough for the narrowest box it is shown in, and the
stylesheet shows the one that fits its box (a container query on .chart-box, static/css/app.css): labels are
never under 11 px as rendered, from a 300 px phone up.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .formatting import number

PALETTE = ("#17675b", "#4a3f9c", "#c0661b", "#2f6fb0", "#a8332a", "#6b7d2a", "#8a4f7d", "#5d6663")
PLOT_HEIGHT = 188
RIGHT, TOP = 16, 28
CHAR_WIDTH = 6.2  # of an 11-unit label, a little generous so estimates never clip
TICKS = 4  # intervals on the value axis, at most


@dataclass(frozen=True)
class ChartSize:
    """A drawing `width` units wide with labels of `font` units, shown in boxes from `shown_from` px wide (app.css
    .chart-w<width>): font * shown_from / width is the smallest label as rendered, 11 px or more."""

    width: int
    font: float
    shown_from: int

    @property
    def char_width(self) -> float:
        return CHAR_WIDTH * self.font / 11

    @property
    def legend_row(self) -> float:
        return self.font + 7


SIZES = (ChartSize(360, 13.5, 294), ChartSize(480, 12.6, 420), ChartSize(640, 11.0, 640))
WIDE = SIZES[-1]

ValueText = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def axis_scale(maximum: float, *, counts: bool) -> tuple[float, float]:
    """(top, step) of the value axis: a round step (1, 2, 2.5 or 5 times a power of ten; whole numbers
    only for counts, which never have a tick at 0.25) and a top that holds `maximum`."""
    if maximum <= 0:
        return 1.0, 1.0
    raw = maximum / TICKS
    magnitude = 10 ** math.floor(math.log10(raw))
    multiples = (1, 2, 5, 10) if counts else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in multiples if m * magnitude >= raw - 1e-9)
    if counts:
        step = max(1.0, round(step))
    return round(step * math.ceil(maximum / step - 1e-9), 9), step


def _text_width(text: str, size: ChartSize = WIDE) -> float:
    return len(text) * size.char_width


def _left(size: ChartSize, ticks: Sequence[str]) -> float:
    """Room for the value axis's widest label."""
    return max(52.0, max((_text_width(tick, size) for tick in ticks), default=0) + 12)


def _ticks(top: float, step: float) -> list[tuple[float, str]]:
    decimals = next(d for d in range(9) if abs(round(step, d) - step) < 1e-9)  # 0.025 stays 0.025
    return [(round(step * i, 9), number(round(step * i, 9), decimals)) for i in range(round(top / step) + 1)]


class _Canvas:
    """The parts every chart shares: value axis, category labels along the bottom, legend, frame."""

    def __init__(
        self, labels: Sequence[str], series: Sequence[Series], *, slot: float, legend: bool, size: ChartSize,
        left: float,
    ) -> None:  # fmt: skip
        self.labels, self.series, self.size, self.left = list(labels), list(series), size, left
        widest = max((_text_width(label, size) for label in labels), default=0)
        # Labels wider than their slot are turned, so neighbours never overlap and none is cut.
        self.turned = widest > slot - 4
        self.label_band = (widest * 0.62 + 20) if self.turned else size.font + 13
        self.legend_rows = self._legend_layout() if legend else []
        self.height = TOP + PLOT_HEIGHT + self.label_band + size.legend_row * len(self.legend_rows) + 8

    def axis(self, top: float, step: float, unit: str) -> list[str]:
        parts, left, right = [], self.left, self.size.width - RIGHT
        for value, text in _ticks(top, step):
            y = TOP + PLOT_HEIGHT * (1 - value / top)
            parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" class="grid"/>')
            baseline = y + self.size.font * 0.36
            parts.append(
                f'<text x="{left - 6:.1f}" y="{baseline:.1f}" text-anchor="end" class="tick">{escape(text)}</text>'
            )
        parts.append(f'<text x="{left:.1f}" y="{TOP - 10}" class="unit">{escape(unit)}</text>')
        return parts

    def label(self, x: float, text: str) -> str:
        y = TOP + PLOT_HEIGHT + self.size.font + 5
        if self.turned:
            return (
                f'<text x="{x:.1f}" y="{y}" text-anchor="end" class="tick" '
                f'transform="rotate(-40 {x:.1f} {y})">{escape(text)}</text>'
            )
        return f'<text x="{x:.1f}" y="{y}" text-anchor="middle" class="tick">{escape(text)}</text>'

    def _legend_layout(self) -> list[list[tuple[int, Series]]]:
        rows: list[list[tuple[int, Series]]] = [[]]
        x = self.left
        for index, item in enumerate(self.series):
            width = 24 + _text_width(item.name, self.size)
            if rows[-1] and x + width > self.size.width - RIGHT:
                rows.append([])
                x = self.left
            rows[-1].append((index, item))
            x += width
        return rows

    def legend(self) -> list[str]:
        parts, font = [], self.size.font
        for row_number, row in enumerate(self.legend_rows):
            y, x = TOP + PLOT_HEIGHT + self.label_band + self.size.legend_row * row_number, self.left
            for index, item in row:
                colour = PALETTE[index % len(PALETTE)]
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="10" height="10" fill="{colour}"/>')
                parts.append(
                    f'<text x="{x + 14:.1f}" y="{y + font * 0.82:.1f}" class="legend">{escape(item.name)}</text>'
                )
                x += 24 + _text_width(item.name, self.size)
        return parts

    def frame(self, title: str, description: str, body: list[str], chart_id: str) -> SafeString:
        width = self.size.width
        svg = (
            f'<svg class="chart chart-w{width}" viewBox="0 0 {width} {self.height:.0f}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
        )
        return mark_safe(svg)  # every piece of text in it went through escape()


def drawn(chart: Callable[..., SafeString], *args, chart_id: str, **options) -> SafeString:
    """`chart(*args, **options)` drawn at every size, for the stylesheet to show the one that fits its box; the
    widest keeps `chart_id`, the others add their width to it, so every id on the page stays unique."""
    return mark_safe(
        "".join(
            chart(*args, chart_id=chart_id if size == WIDE else f"{chart_id}-w{size.width}", size=size, **options)
            for size in SIZES
        )
    )


def _describe(title: str, unit: str, parts: list[str]) -> str:
    heading = f"{title} ({unit})" if unit else title
    return f"{heading}. {'; '.join(parts) or gettext('No data yet.')}"


def _shown(count: int, limit: int) -> Callable[[int], bool]:
    """Which category labels to write when there are too many for all (always the first and last)."""
    every = max(1, math.ceil(count / limit))
    return lambda i: count <= limit or i % every == 0 or i == count - 1


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    unit: str = "",
    chart_id: str = "chart",
    legend: bool | None = None,
    counts: bool = False,
    value_text: ValueText = number,
    size: ChartSize = WIDE,
) -> SafeString:
    """Stacked bars, one per label; a single series is a plain bar chart. The legend shows for several
    series, or when asked: bars split by kind keep naming their kind even when only one kind occurs.
    `counts`: the values are whole things (sessions, students), so the axis ticks are whole numbers."""
    count = max(len(labels), 1)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top, step = axis_scale(max(totals, default=0), counts=counts)
    left = _left(size, [text for _value, text in _ticks(top, step)])
    slot = (size.width - left - RIGHT) / count
    canvas = _Canvas(
        labels, series, slot=slot, legend=legend if legend is not None else len(series) > 1, size=size, left=left
    )
    bar = max(4.0, slot * 0.6)
    body = canvas.axis(top, step, unit)
    shown = _shown(len(labels), max(4, int(16 * size.width / WIDE.width)))
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar) / 2
        base = TOP + PLOT_HEIGHT
        for index, item in enumerate(series):
            value = item.values[i]
            if value <= 0:
                continue
            height = PLOT_HEIGHT * value / top
            base -= height
            colour = PALETTE[index % len(PALETTE)]
            tip = f"{label}: {item.name} {value_text(value)}"
            body.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
        if shown(i):
            body.append(canvas.label(x + bar / 2, label))
    body += canvas.legend()
    described = [
        f"{label}: " + ", ".join(f"{item.name} {value_text(item.values[i])}" for item in series)
        for i, label in enumerate(labels)
    ]
    return canvas.frame(title, _describe(title, unit, described), body, chart_id)


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    unit: str = "",
    chart_id: str = "chart",
    counts: bool = False,
    value_text: ValueText = number,
    size: ChartSize = WIDE,
    top: float | None = None,
) -> SafeString:
    """One line per series over the labels (e.g. weeks), with a dot at each point. The first and last
    points sit in from the edges by half a label, so their labels are never cut off. A value of None is no
    point (a week with nothing to measure): the line breaks there rather than drop to zero. `top`: a fixed top of
    the value axis (100 for percents), else one that holds the values."""
    count = len(labels)
    known = [v for s in series for v in s.values if v is not None]
    top, step = axis_scale(top if top is not None else max(known, default=0), counts=counts)
    left = _left(size, [text for _value, text in _ticks(top, step)])
    inset = max((_text_width(label, size) for label in labels), default=0) / 2 + 4
    plot_width = size.width - left - RIGHT - 2 * inset
    step_x = plot_width / max(count - 1, 1)
    canvas = _Canvas(
        labels, series, slot=step_x if count > 1 else plot_width, legend=len(series) > 1, size=size, left=left
    )
    body = canvas.axis(top, step, unit)
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = [
            (left + inset + step_x * i, None if value is None else TOP + PLOT_HEIGHT * (1 - value / top))
            for i, value in enumerate(item.values)
        ]
        for run in _runs(points):
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for (x, y), label, value in zip(points, labels, item.values, strict=False):
            if y is None:
                continue
            tip = f"{label}: {item.name} {value_text(value)}"
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(tip)}</title></circle>'
            )
    shown = _shown(count, max(4, int(12 * size.width / WIDE.width)))
    body += [canvas.label(left + inset + step_x * i, label) for i, label in enumerate(labels) if shown(i)]
    body += canvas.legend()
    described = [
        f"{s.name}: "
        + ", ".join(f"{label} {value_text(v)}" for label, v in zip(labels, s.values, strict=False) if v is not None)
        for s in series
        if any(v is not None for v in s.values)
    ]
    return canvas.frame(title, _describe(title, unit, described), body, chart_id)


def _runs(points: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """The points in runs without a gap."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if y is None:
            runs.append([])
        else:
            runs[-1].append((x, y))
    return [run for run in runs if run]
