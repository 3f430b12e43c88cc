"""Geometry of a ledger chart: a measure's figures over time, by claimant, as SVG shapes.

Each figure is one mark at the middle of the period it covers: a bar from its lower to its upper
bound (an interval), an arrow where a side is open ("more than": up to the top with an arrowhead),
a dot at its value. Colour tells the claimant, a dashed line a status the source does not vouch
for (official claim not independently verifiable, allegation). The template draws the shapes;
this module only computes them, so the numbers can be tested without a browser.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = ["Mark", "chart", "marks_from_rows"]

WIDTH, HEIGHT = 900, 360
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 20, 40
#: Pixels between the bars of figures that cover the same period.
DODGE = 16
#: Colour-blind-safe palette (Tableau 10), one colour per claimant in order of appearance.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
#: Statuses drawn dashed: the source does not vouch for the figure.
UNVOUCHED = {"status-official-unverifiable", "status-alleged", "status-activist-allegation"}


@dataclass
class Mark:
    """One figure of a ledger, as the chart needs it."""

    figure: str
    label: str
    claimant: str
    first: dt.date
    last: dt.date
    lower: Decimal | None
    upper: Decimal | None
    value: Decimal | None
    status: str
    sources: list[str] = field(default_factory=list)


def _num(term: Any) -> Decimal | None:
    return None if term is None else Decimal(str(term))


def _day(term: Any) -> dt.date | None:
    return None if term is None else dt.date.fromisoformat(str(term)[:10])


def marks_from_rows(rows: list[dict[str, Any]]) -> list[Mark]:
    """One mark per figure from the rows of the ``ledger`` query (a figure with several evidence
    records has several rows); figures with no period days are left out."""
    marks: dict[str, Mark] = {}
    for row in rows:
        fig = str(row["figure"])
        first, last = _day(row.get("firstDay")), _day(row.get("lastDay"))
        if first is None or last is None:
            continue
        claimant = str(row.get("claimantLabel") or row.get("sourceLabel") or "the source")
        mark = marks.get(fig)
        if mark is None:
            mark = marks[fig] = Mark(
                figure=fig,
                label=str(row.get("figureLabel") or fig),
                claimant=claimant,
                first=first,
                last=last,
                lower=_num(row.get("lowerBound")),
                upper=_num(row.get("upperBound")),
                value=_num(row.get("value")),
                status=str(row.get("status") or "").rsplit("/", 1)[-1],
            )
        elif claimant not in mark.claimant.split(" and "):  # two claimants of one figure: one colour for both
            mark.claimant = f"{mark.claimant} and {claimant}"
        source = str(row.get("source") or "")
        if source and source not in mark.sources:
            mark.sources.append(source)
    return sorted(marks.values(), key=lambda m: (m.first, m.figure))


def _ordinal(day: dt.date) -> float:
    return float(day.toordinal())


def _round_up(value: float) -> float:
    """The top of the value axis: ``value`` rounded up so that its quarters are round numbers
    (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten)."""
    if value <= 0:
        return 1.0
    quarter = value / 4
    power = 10 ** math.floor(math.log10(quarter))
    step = next(k * power for k in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if k * power >= quarter)
    return 4 * step


def chart(marks: list[Mark]) -> dict[str, Any]:
    """Shapes of the chart: axes with ticks, and per mark a bar, arrowheads, a dot, a colour."""
    if not marks:
        return {
            "width": WIDTH,
            "height": HEIGHT,
            "marks": [],
            "xticks": [],
            "yticks": [],
            "legend": [],
        }
    t0 = min(_ordinal(m.first) for m in marks)
    t1 = max(_ordinal(m.last) for m in marks)
    if t1 - t0 < 60:  # a single month: widen so that the marks do not sit on the edges
        t0, t1 = t0 - 30, t1 + 30
    finite = [v for m in marks for v in (m.lower, m.upper, m.value) if v is not None]
    top = _round_up(float(max(finite)) * 1.1 if finite else 1.0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t: float) -> float:
        return round(LEFT + (t - t0) / (t1 - t0) * plot_w, 1)

    def y(v: Decimal | float) -> float:
        return round(TOP + plot_h - float(v) / top * plot_h, 1)

    colours: dict[str, str] = {}
    shapes = []
    # figures for the same period stand side by side, not on top of one another
    same: dict[tuple[dt.date, dt.date], list[str]] = {}
    for m in marks:
        same.setdefault((m.first, m.last), []).append(m.figure)
    for m in marks:
        colour = colours.setdefault(m.claimant, PALETTE[len(colours) % len(PALETTE)])
        group = same[(m.first, m.last)]
        cx = x((_ordinal(m.first) + _ordinal(m.last)) / 2) + (group.index(m.figure) - (len(group) - 1) / 2) * DODGE
        y_low = y(m.lower) if m.lower is not None else y(0)
        y_high = y(m.upper) if m.upper is not None else float(TOP)
        shapes.append(
            {
                "mark": m,
                "colour": colour,
                "x": cx,
                "x1": x(_ordinal(m.first)),
                "x2": x(_ordinal(m.last)),
                "y_low": y_low,
                "y_high": y_high,
                "open_up": m.upper is None and m.lower is not None,
                "open_down": m.lower is None and m.upper is not None,
                "dot": y(m.value) if m.value is not None else None,
                "dashed": m.status in UNVOUCHED,
                "bounded": m.lower is not None or m.upper is not None,
            }
        )
    years = range(dt.date.fromordinal(int(t0)).year, dt.date.fromordinal(int(t1)).year + 1)
    xticks = [
        {"x": x(_ordinal(dt.date(yr, 1, 1))), "label": str(yr)}
        for yr in years
        if t0 <= _ordinal(dt.date(yr, 1, 1)) <= t1
    ]
    yticks = [{"y": y(top * k / 4), "label": f"{top * k / 4:,.10g}" if top < 4 else f"{top * k / 4:,.0f}"} for k in range(5)]
    legend = [{"claimant": c, "colour": col} for c, col in colours.items()]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "bottom": HEIGHT - BOTTOM,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "marks": shapes,
        "xticks": xticks,
        "yticks": yticks,
        "legend": legend,
    }
