"""Charts drawn by the application as SVG: no JavaScript, no CDN, sharp when printed.

Each chart carries a <title> and a <desc> for screen readers, prints its
numbers beside the bars, and takes its colours from classes in ops.css (the
CSP forbids inline styles, and print styles can change them).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

BAR_WIDTH = 560  # bar charts sit in half-width cards on a desktop
WIDE_WIDTH = 1100  # time series span the page
ROW = 24
LABEL_WIDTH = 190
VALUE_WIDTH = 150


@dataclass
class Item:
    label: str
    value: float
    text: str  # the value as printed
    name: str = ""  # the full name where the label is shortened (months)


def _frame(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
    )
    # every text from data passes escape() where the body is built; ids and numbers are our own
    return Markup(head + "".join(body) + "</svg>")  # nosec B704


def _shorten(text: str, limit: int = 27) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(chart_id: str, title: str, items: list[Item]) -> Markup:
    """Horizontal bars, largest first as given, with labels on the left and values on the right."""
    if not items:
        return _frame(chart_id, title, "", BAR_WIDTH, ROW, ['<text x="0" y="18" class="chart-empty">—</text>'])
    largest = max(item.value for item in items) or 1
    room = BAR_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    body = []
    for n, item in enumerate(items):
        y = n * ROW
        length = max(1.0, room * item.value / largest) if item.value else 0
        body.append(
            f'<g><text x="{LABEL_WIDTH - 8}" y="{y + 17}" class="chart-label" text-anchor="end">'
            f"{escape(_shorten(item.label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 8}" class="chart-bar"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 17}" class="chart-value">{escape(item.text)}</text>'
            f"</g>"
        )
    desc = "; ".join(f"{item.label}: {item.text}" for item in items)
    return _frame(chart_id, title, desc, BAR_WIDTH, ROW * len(items) + 4, body)


def _ticks(largest: float) -> list[float]:
    """Three or four round gridline values up to `largest`."""
    if largest <= 0:
        return [0]
    step = 10 ** (len(str(int(largest))) - 1) if largest >= 1 else largest / 4
    while largest / step > 4:
        step *= 2
    while largest / step < 2 and step > 1:
        step /= 2
    count = int(largest // step)
    return [step * i for i in range(count + 1)]


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.1f}"


def column_chart(chart_id: str, title: str, items: list[Item]) -> Markup:
    """Vertical columns over time (months), gridlines with values; empty labels are skipped."""
    width, height, top, bottom, left = WIDE_WIDTH, 240, 10, 30, 64
    if not items:
        return _frame(chart_id, title, "", width, 30, ['<text x="0" y="20" class="chart-empty">—</text>'])
    largest = max(item.value for item in items) or 1
    ticks = _ticks(largest)
    scale_top = max(largest, ticks[-1])
    plot_h, plot_w = height - top - bottom, width - left - 8
    slot = plot_w / len(items)
    body = []
    for tick in ticks:
        y = top + plot_h - plot_h * tick / scale_top
        body.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="chart-gridline"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="chart-axis" text-anchor="end">{_number(tick)}</text>'
        )
    for n, item in enumerate(items):
        bar_h = plot_h * item.value / scale_top
        x = left + n * slot
        body.append(
            f'<rect x="{x + slot * 0.12:.1f}" y="{top + plot_h - bar_h:.1f}" width="{slot * 0.76:.1f}" '
            f'height="{bar_h:.1f}" class="chart-bar"><title>{escape(item.name or item.label)}: '
            f"{escape(item.text)}</title></rect>"
        )
        if item.label:
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 16}" class="chart-axis" '
                f'text-anchor="middle">{escape(item.label)}</text>'
            )
    desc = "; ".join(f"{item.name or item.label}: {item.text}" for item in items)
    return _frame(chart_id, title, desc, width, height, body)


def as_float(value) -> float:
    return float(value) if isinstance(value, Decimal) else float(value or 0)
