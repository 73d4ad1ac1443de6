"""A radar chart of an assessment's dimension scores, drawn on the server as SVG (readable without JavaScript; the
numbers are in a table beside it for screen readers). This module works out the geometry; the template
assessments/_radar.html draws it."""

import math
import textwrap
from dataclasses import dataclass

RINGS = (20, 40, 60, 80, 100)
WRAP = 14
VPAD = 46  # and above and below
LINE = 17  # label line height, in the chart's units
PAD = 105  # room on either side for the labels (the viewBox is wider than the chart), at least
FONT = 16  # the labels' font size, in the chart's units
EM = FONT * 0.68  # a label letter's width at most, about (DejaVu Sans: "Людиноцентрична" is 0.66 em a letter)


@dataclass(frozen=True)
class Axis:
    label: str
    lines: list[str]  # the label wrapped in lines of about `WRAP` characters
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor of the label


@dataclass(frozen=True)
class Radar:
    size: int
    font: int
    line: int  # the labels' line height
    centre: float
    view_box: str
    axes: list[Axis]
    rings: list[str]  # polygon points of each ring
    current: str  # polygon points of the scores
    previous: str  # of the previous stage's, "" when there is none
    dots: list[tuple[float, float, float]]  # (x, y, score) per axis of the current scores


def _point(centre: float, radius: float, i: int, n: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n  # the first axis points up, then clockwise
    r = radius * max(0.0, min(100.0, value)) / 100
    return round(centre + r * math.cos(angle), 1), round(centre + r * math.sin(angle), 1)


def _points(centre: float, radius: float, values: list[float]) -> str:
    n = len(values)
    return " ".join(f"{x},{y}" for x, y in (_point(centre, radius, i, n, v) for i, v in enumerate(values)))


def _overhang(axis: Axis, size: int) -> int:
    """How far beyond the chart's sides the axis's label reaches (its longest line, estimated), plus a margin: a
    word that cannot be wrapped, such as "Людиноцентрична", must not be cut at the edge."""
    width = EM * max(len(line) for line in axis.lines)
    left, right = {"start": (0, width), "end": (width, 0)}.get(axis.anchor, (width / 2, width / 2))
    return math.ceil(max(right + axis.label_x - size, left - axis.label_x)) + 6


def radar(labels: list[str], values: list[float], previous: list[float] | None = None, size: int = 400) -> Radar:
    """The chart of `values` (0–100, one per label), with `previous` (the stage before) drawn under them. With
    fewer than three dimensions the shape is a line or a point, still readable beside the table."""
    centre = size / 2
    radius = size / 2 - 40  # room for the labels above and below (beside: PAD)
    n = len(values)
    axes = []
    for i, label in enumerate(labels):
        x, y = _point(centre, radius, i, n, 100)
        lx, ly = _point(centre, radius + 14, i, n, 100)
        anchor = "middle" if abs(lx - centre) < 4 else ("start" if lx > centre else "end")
        lines = textwrap.wrap(label, WRAP, break_long_words=False, break_on_hyphens=True) or [""]
        if ly > centre + 4:  # below the centre: the first line under the axis's end
            top = ly + 12
        elif ly < centre - 4:  # above: the last line over it
            top = ly - LINE * (len(lines) - 1) - 4
        else:  # beside: centred on it
            top = ly - LINE * (len(lines) - 1) / 2 + 5
        axes.append(Axis(label, lines, x, y, lx, top, anchor))
    pad = max([PAD, *(_overhang(axis, size) for axis in axes)])
    rings = [_points(centre, radius, [ring] * n) for ring in RINGS]
    dots = [(*_point(centre, radius, i, n, v), v) for i, v in enumerate(values)]
    return Radar(
        size=size,
        font=FONT,
        line=LINE,
        centre=centre,
        view_box=f"{-pad} {-VPAD} {size + 2 * pad} {size + 2 * VPAD}",
        axes=axes,
        rings=rings,
        current=_points(centre, radius, values),
        previous=_points(centre, radius, previous) if previous else "",
        dots=dots,
    )
