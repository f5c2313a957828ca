"""Server-rendered SVG charts: no JavaScript, readable by screen readers, printable.

Each chart is an <svg role="img"> with a <title> and a <desc> that states the numbers in words, so
the picture is never the only way to get at them; the pages also put a table of the same numbers
beside each chart. Numbers are written by practice/formatting.py, in the page's language.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .formatting import number

PALETTE = ("#17675b", "#4a3f9c", "#c0661b", "#2f6fb0", "#a8332a", "#6b7d2a", "#8a4f7d", "#5d6663")
WIDTH, PLOT_HEIGHT = 640, 188
LEFT, RIGHT, TOP = 52, 16, 28
CHAR_WIDTH = 6.2  # of the 11px labels (app.css), a little generous so estimates never clip
LEGEND_ROW = 18
TICKS = 4  # intervals on the value axis, at most

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


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


class _Canvas:
    """The parts every chart shares: value axis, category labels along the bottom, legend, frame."""

    def __init__(self, labels: Sequence[str], series: Sequence[Series], *, slot: float, legend: bool) -> None:
        self.labels, self.series = list(labels), list(series)
        widest = max((_text_width(label) for label in labels), default=0)
        # Labels wider than their slot are turned, so neighbours never overlap and none is cut.
        self.turned = widest > slot - 4
        self.label_band = (widest * 0.62 + 20) if self.turned else 24
        self.legend_rows = self._legend_layout() if legend else []
        self.height = TOP + PLOT_HEIGHT + self.label_band + LEGEND_ROW * len(self.legend_rows) + 8

    def axis(self, top: float, step: float, unit: str) -> list[str]:
        decimals = next(d for d in range(9) if abs(round(step, d) - step) < 1e-9)  # 0.025 stays 0.025
        parts = []
        for index in range(round(top / step) + 1):
            value = round(step * index, 9)
            y = TOP + PLOT_HEIGHT * (1 - value / top)
            parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="grid"/>')
            label = escape(number(value, decimals))
            parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{label}</text>')
        parts.append(f'<text x="{LEFT}" y="{TOP - 10}" class="unit">{escape(unit)}</text>')
        return parts

    def label(self, x: float, text: str) -> str:
        y = TOP + PLOT_HEIGHT + 16
        if self.turned:
            return (
                f'<text x="{x:.1f}" y="{y}" text-anchor="end" class="tick" '
                f'transform="rotate(-40 {x:.1f} {y})">{escape(text)}</text>'
            )
        return f'<text x="{x:.1f}" y="{y}" text-anchor="middle" class="tick">{escape(text)}</text>'

    def _legend_layout(self) -> list[list[tuple[int, Series]]]:
        rows: list[list[tuple[int, Series]]] = [[]]
        x = LEFT
        for index, item in enumerate(self.series):
            width = 24 + _text_width(item.name)
            if rows[-1] and x + width > WIDTH - RIGHT:
                rows.append([])
                x = LEFT
            rows[-1].append((index, item))
            x += width
        return rows

    def legend(self) -> list[str]:
        parts = []
        for row_number, row in enumerate(self.legend_rows):
            y, x = TOP + PLOT_HEIGHT + self.label_band + LEGEND_ROW * row_number, LEFT
            for index, item in row:
                colour = PALETTE[index % len(PALETTE)]
                parts.append(f'<rect x="{x}" y="{y:.1f}" width="10" height="10" fill="{colour}"/>')
                parts.append(f'<text x="{x + 14}" y="{y + 9:.1f}" class="legend">{escape(item.name)}</text>')
                x += 24 + _text_width(item.name)
        return parts

    def frame(self, title: str, description: str, body: list[str], chart_id: str) -> SafeString:
        svg = (
            f'<svg class="chart" viewBox="0 0 {WIDTH} {self.height:.0f}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
        )
        return mark_safe(svg)  # every piece of text in it went through escape()


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
) -> SafeString:
    """Stacked bars, one per label; a single series is a plain bar chart. The legend shows for several
    series, or when asked: bars split by kind keep naming their kind even when only one kind occurs.
    `counts`: the values are whole things (sessions, students), so the axis ticks are whole numbers."""
    count = max(len(labels), 1)
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / count
    canvas = _Canvas(labels, series, slot=slot, legend=legend if legend is not None else len(series) > 1)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top, step = axis_scale(max(totals, default=0), counts=counts)
    bar = max(4.0, slot * 0.6)
    body = canvas.axis(top, step, unit)
    shown = _shown(len(labels), 16)
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar) / 2
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
) -> SafeString:
    """One line per series over the labels (e.g. weeks), with a dot at each point. The first and last
    points sit in from the edges by half a label, so their labels are never cut off."""
    count = len(labels)
    inset = max((_text_width(label) for label in labels), default=0) / 2 + 4
    plot_width = WIDTH - LEFT - RIGHT - 2 * inset
    step_x = plot_width / max(count - 1, 1)
    canvas = _Canvas(labels, series, slot=step_x if count > 1 else plot_width, legend=len(series) > 1)
    top, step = axis_scale(max((v for s in series for v in s.values), default=0), counts=counts)
    body = canvas.axis(top, step, unit)
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = [
            (LEFT + inset + step_x * i, TOP + PLOT_HEIGHT * (1 - value / top)) for i, value in enumerate(item.values)
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for (x, y), label, value in zip(points, labels, item.values, strict=False):
            tip = f"{label}: {item.name} {value_text(value)}"
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(tip)}</title></circle>'
            )
    shown = _shown(count, 12)
    body += [canvas.label(LEFT + inset + step_x * i, label) for i, label in enumerate(labels) if shown(i)]
    body += canvas.legend()
    described = [
        f"{s.name}: " + ", ".join(f"{label} {value_text(v)}" for label, v in zip(labels, s.values, strict=False))
        for s in series
    ]
    return canvas.frame(title, _describe(title, unit, described), body, chart_id)
