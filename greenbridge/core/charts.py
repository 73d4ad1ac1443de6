"""Bar charts drawn on the server as SVG, like the assessments' radar (assessments/radar.py): readable without
JavaScript and in a PDF, with the same numbers in a table beside each chart for screen readers and for copying.
This module works out the geometry; the template core/_bars.html draws it. Colours are presentation attributes
(not a style sheet), so that WeasyPrint and a saved page draw the chart as the browser does."""

import math
from dataclasses import dataclass

# One colour per series, each with at least 3:1 contrast on white (WCAG non-text contrast).
COLOURS = ("#1b6a4e", "#8a6d1d", "#1f4e8c", "#a4231a", "#464f55")
WIDTH = 720
HEIGHT = 260
LEFT = 48  # room for the scale's labels
TOP = 28  # room for the legend
BOTTOM = 34  # room for the categories' labels
RIGHT = 8
LABEL_WIDTH = 44  # a category label needs about this much room; fewer are written when they are narrower


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str  # "March 2026 – Opened: 12", shown as the bar's tooltip


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class Key:
    x: float
    colour: str
    name: str


@dataclass(frozen=True)
class BarChart:
    view_box: str
    left: float
    right: float
    baseline: float
    label_y: float
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[Label]
    legend: list[Key]
    empty: bool  # nothing to draw but zeros


def nice_step(top: float, most: int = 5) -> float:
    """A step of 1, 2 or 5 times a power of ten that divides 0..top into at most `most` intervals."""
    if top <= 0:
        return 1.0
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def bar_chart(
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    top: float | None = None,
    unit: str = "",
) -> BarChart:
    """Bars of each series (name, one value per category; None draws nothing) grouped by category. `top`: the
    scale's end (100 for percentages), else a round number at or above the largest value; `unit` follows the
    numbers of the scale and of the tooltips ("%")."""
    values = [v for _, vs in series for v in vs if v is not None]
    largest = max(values, default=0)
    step = nice_step(top if top is not None else largest)
    end = top if top is not None else max(step, math.ceil(largest / step) * step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    slot = plot_w / max(1, len(categories))
    group = slot * 0.8
    bar_w = group / max(1, len(series))
    bars = []
    for c, category in enumerate(categories):
        for s, (name, vs) in enumerate(series):
            value = vs[c] if c < len(vs) else None
            if value is None:
                continue
            height = round(plot_h * min(value, end) / end, 1) if end else 0.0
            bars.append(
                Bar(
                    x=round(LEFT + c * slot + (slot - group) / 2 + s * bar_w, 1),
                    y=round(baseline - height, 1),
                    width=round(max(bar_w - 1, 1), 1),
                    height=height,
                    colour=COLOURS[s % len(COLOURS)],
                    title=f"{category} – {name}: {_number(round(value, 1))}{unit}",
                )
            )
    ticks = []
    count = round(end / step)
    for i in range(count + 1):
        ticks.append(Tick(y=round(baseline - plot_h * i / count, 1), label=f"{_number(round(i * step, 6))}{unit}"))
    every = max(1, math.ceil(LABEL_WIDTH / slot))
    labels = [
        Label(x=round(LEFT + c * slot + slot / 2, 1), text=category)
        for c, category in enumerate(categories)
        if c % every == 0
    ]
    legend, x = [], LEFT
    for s, (name, _) in enumerate(series):
        legend.append(Key(x=x, colour=COLOURS[s % len(COLOURS)], name=name))
        x += 24 + 8 * len(name)
    return BarChart(
        view_box=f"0 0 {WIDTH} {HEIGHT}",
        left=LEFT,
        right=WIDTH - RIGHT,
        baseline=baseline,
        label_y=baseline + 18,
        bars=bars,
        ticks=ticks,
        labels=labels,
        legend=legend if len(series) > 1 else [],
        empty=not any(values),
    )
