"""A choropleth of countries drawn on the server as SVG (market/_map.html): Europe, the Mediterranean and the
Caucasus from data/map.json (built by scripts/world_map.py from Natural Earth's outlines), each country filled by
the class of its value, with its title and link; the table beside the map has the same numbers."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

OUTLINES = Path(__file__).resolve().parent / "data" / "map.json"
# Five classes of a 0-100 score, light to dark (the site's greens); countries without a score are grey.
COLOURS = ("#e3f2e9", "#b5dcc5", "#7cc09b", "#3f9a6e", "#13503b")
NO_VALUE = "#eceeed"
HOME = "#c9d4ce"


@functools.cache
def outlines() -> dict:
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


@functools.cache
def boxes() -> dict[str, tuple[float, float, float, float]]:
    """Each country's bounding box in the map's units: (left, top, right, bottom)."""
    out = {}
    for code, d in outlines()["countries"].items():
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
        xs, ys = numbers[0::2], numbers[1::2]
        out[code] = (min(xs), min(ys), max(xs), max(ys))
    return out


def view_box(codes) -> str:
    """The part of the map that shows these countries, with a margin, no narrower than tall nor more than twice
    as wide; the whole map when none is on it."""
    _, _, width, height = (float(v) for v in outlines()["viewBox"].split())
    found = [boxes()[c] for c in codes if c in boxes()]
    if not found:
        return outlines()["viewBox"]
    left, top = min(b[0] for b in found), min(b[1] for b in found)
    right, bottom = max(b[2] for b in found), max(b[3] for b in found)
    w, h = right - left, bottom - top
    margin = 0.06 * max(w, h)
    left, top, w, h = left - margin, top - margin, w + 2 * margin, h + 2 * margin
    if w < h:
        left, w = left - (h - w) / 2, h
    elif w > 2 * h:
        top, h = top - (w / 2 - h) / 2, w / 2
    left, top = max(0.0, min(left, width - w)), max(0.0, min(top, height - h))
    return f"{left:.0f} {top:.0f} {min(w, width):.0f} {min(h, height):.0f}"


@dataclass(frozen=True)
class Shape:
    code: str
    d: str
    fill: str
    title: str
    href: str = ""


def colour(score: float) -> str:
    return COLOURS[min(len(COLOURS) - 1, max(0, int(score // (100 / len(COLOURS)))))]


def choropleth(
    scores: dict[str, float], *, titles: dict[str, str], links: dict[str, str], home: frozenset[str] = frozenset()
) -> dict:
    """The map's shapes (countries with a score coloured by it, `home` in their own grey, the rest plain) and
    its legend: (lower bound, upper bound, colour) per class."""
    shapes = []
    for code, d in outlines()["countries"].items():
        if code in scores:
            shapes.append(Shape(code, d, colour(scores[code]), titles.get(code, code), links.get(code, "")))
        else:
            shapes.append(Shape(code, d, HOME if code in home else NO_VALUE, titles.get(code, "")))
    step = 100 // len(COLOURS)
    legend = [(i * step, (i + 1) * step, c) for i, c in enumerate(COLOURS)]
    return {"view_box": view_box([*scores, *home]), "shapes": shapes, "legend": legend}
