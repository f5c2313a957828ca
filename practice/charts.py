"""Server-rendered SVG charts: no JavaScript, readable by screen readers, printable.

Each chart is an <svg role="img"> with a <title> and a <desc> that states the numbers in words, so
the picture is never the only way to get at them. Pages put a data table beside it when the numbers
matter more than the shape.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#17675b", "#4a3f9c", "#c0661b", "#2f6fb0", "#a8332a", "#6b7d2a", "#8a4f7d", "#5d6663")
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 44


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def _frame(title: str, description: str, body: list[str], chart_id: str) -> SafeString:
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )
    return mark_safe(svg)  # every piece of text in it went through escape()


def _axes(maximum: float, unit: str) -> list[str]:
    plot_height = HEIGHT - TOP - BOTTOM
    parts = []
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        y = TOP + plot_height * (1 - fraction)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="grid"/>')
        label = _number(round(maximum * fraction, 2))
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{escape(label)}</text>')
    parts.append(f'<text x="{LEFT}" y="{TOP - 10}" class="unit">{escape(unit)}</text>')
    return parts


def _legend(series: Sequence[Series]) -> list[str]:
    parts, x = [], LEFT
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{HEIGHT - 5}" class="legend">{escape(item.name)}</text>')
        x += 24 + 7 * len(item.name)
    return parts


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    unit: str = "",
    chart_id: str = "chart",
    legend: bool | None = None,
) -> SafeString:
    """Stacked bars, one per label; a single series is a plain bar chart. The legend shows for several
    series, or when asked: bars split by kind keep naming their kind even when only one kind occurs."""
    count = max(len(labels), 1)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    maximum = _nice_max(max(totals, default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / count
    bar = max(4.0, slot * 0.6)
    body = _axes(maximum, unit)
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar) / 2
        base = TOP + plot_height
        for index, item in enumerate(series):
            value = item.values[i]
            if value <= 0:
                continue
            height = plot_height * value / maximum
            base -= height
            colour = PALETTE[index % len(PALETTE)]
            tip = f"{label}: {item.name} {_number(value)} {unit}".strip()
            body.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
        if count <= 16 or i % max(1, count // 8) == 0:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{TOP + plot_height + 16}" text-anchor="middle" class="tick">'
                f"{escape(label)}</text>"
            )
    if legend if legend is not None else len(series) > 1:
        body += _legend(series)
    described = "; ".join(
        f"{label}: " + ", ".join(f"{s.name} {_number(s.values[i])}" for s in series) for i, label in enumerate(labels)
    )
    return _frame(title, f"{title} ({unit}). {described or 'No data yet.'}", body, chart_id)


def line_chart(
    labels: Sequence[str], series: Sequence[Series], *, title: str, unit: str = "", chart_id: str = "chart"
) -> SafeString:
    """One line per series over the labels (e.g. weeks), with a dot at each point."""
    count = len(labels)
    maximum = _nice_max(max((v for s in series for v in s.values), default=0))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(count - 1, 1)
    body = _axes(maximum, unit)
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = [(LEFT + step * i, TOP + plot_height * (1 - value / maximum)) for i, value in enumerate(item.values)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for (x, y), label, value in zip(points, labels, item.values, strict=False):
            tip = f"{label}: {item.name} {_number(value)} {unit}".strip()
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(tip)}</title></circle>'
            )
    for i, label in enumerate(labels):
        if count <= 12 or i % max(1, count // 6) == 0 or i == count - 1:
            body.append(
                f'<text x="{LEFT + step * i:.1f}" y="{TOP + plot_height + 16}" text-anchor="middle" class="tick">'
                f"{escape(label)}</text>"
            )
    if len(series) > 1:
        body += _legend(series)
    described = "; ".join(
        f"{s.name}: " + ", ".join(f"{label} {_number(v)}" for label, v in zip(labels, s.values, strict=False))
        for s in series
    )
    return _frame(title, f"{title} ({unit}). {described or 'No data yet.'}", body, chart_id)
