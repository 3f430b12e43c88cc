"""Pipelines as stages: which pipeline a reader means, and its drawing from left to right.

A pipeline is drawn in the order of its stage roles (origin, intermediary, channel, institution,
front): one column per role, one box per stage actor (several actors of one role stack in their
column), an arrow from each stage to the next. Boxes are coloured by the actor's class family
(the colours of the interactive graph) and labelled in 14 px type, wrapped, never shrunk: the
drawing is as wide as its columns and scrolls rather than scaling its text down.

The same geometry feeds the server's pipelines page and ``recruitgraph viz --pipeline``.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from .exc import ParameterError
from .pipelines import ROLES, GraphLike, Pipeline, Stage, local_name, pipelines

#: Geometry in CSS pixels (the SVG is drawn at 1:1, so these are the sizes on screen).
COLUMN = 210
BOX_W = 172
LINE = 18
FONT_PX = 14
PAD_X, PAD_Y, HEAD = 16, 10, 34
GAP = 22


def pipeline_names(found: list[Pipeline]) -> list[str]:
    """The names ``recruitgraph pipelines`` prints (the pipelines' labels)."""
    return [p.label for p in found]


def find_pipeline(kg: GraphLike, name: str, found: list[Pipeline] | None = None) -> Pipeline:
    """The pipeline ``name`` means: the entity rule of :mod:`recruitgraph.entities` kept to
    pipelines (its IRI, ``rgd:id``, id with or without ``pipeline-``, or its label as
    ``recruitgraph pipelines`` prints it, case, accents and punctuation aside), then a unique
    partial match. Several partial matches are listed; an unknown name lists every pipeline."""
    from .search import words

    found = pipelines(kg) if found is None else found
    wanted = name.strip()
    if not wanted:
        raise ParameterError("--pipeline: empty value")
    folded = " ".join(words(wanted))
    ids = {wanted, wanted.removeprefix("rgd:"), "pipeline-" + wanted.removeprefix("rgd:")}
    for p in found:
        if p.iri == wanted or p.id in ids or " ".join(words(p.label)) == folded:
            return p
    partial = [p for p in found if folded and (folded in " ".join(words(p.label)) or wanted.casefold() in p.id)]
    if len(partial) == 1:
        return partial[0]
    names = "; ".join(sorted(pipeline_names(found), key=str.casefold))
    if partial:
        raise ParameterError(f"--pipeline: {name!r} fits several pipelines: "
                             + "; ".join(p.label for p in partial))
    raise ParameterError(f"--pipeline: no pipeline is called {name!r}; the pipelines are: {names}")


@dataclass
class Box:
    stage: Stage
    x: float
    y: float
    height: float
    lines: list[str]
    colour: str
    cls: str

    @property
    def mid_y(self) -> float:
        return self.y + self.height / 2


@dataclass
class Drawing:
    """Boxes, arrows (pairs of box indexes, in stage order) and the role columns used."""

    pipeline: Pipeline
    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)
    arrows: list[dict[str, Any]] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)


def _column(stage: Stage) -> int:
    role = local_name(stage.role).removeprefix("role-")
    return ROLES.index(role) if role in ROLES else max(0, min(len(ROLES) - 1, stage.order - 1))


def drawing(pipeline: Pipeline, classes: dict[str, str]) -> Drawing:
    """The stage drawing of ``pipeline``; ``classes`` maps actor IRIs to their class local name."""
    from .visualization import style_of

    by_col: dict[int, list[Stage]] = {}
    for st in sorted(pipeline.stages, key=lambda s: (s.order, s.actor_label)):
        by_col.setdefault(_column(st), []).append(st)
    used = sorted(by_col)
    boxes: list[Box] = []
    index: dict[str, int] = {}
    heights = []
    for slot, col in enumerate(used):
        y = HEAD + GAP
        for st in by_col[col]:
            lines = textwrap.wrap(st.actor_label or local_name(st.actor), 20)[:4] or ["?"]
            h = len(lines) * LINE + 2 * PAD_Y
            cls = classes.get(st.actor, "")
            boxes.append(Box(st, PAD_X + slot * COLUMN, y, h, lines, style_of(cls)[0], cls))
            index[st.iri] = len(boxes) - 1
            y += h + GAP
        heights.append(y)
    # every actor of one stage order leads to every actor of the next (several may share a stage)
    orders: dict[int, list[Stage]] = {}
    for st in pipeline.stages:
        orders.setdefault(st.order, []).append(st)
    arrows = []
    for k, nxt in pairwise(sorted(orders)):
        for a in orders[k]:
            for b in orders[nxt]:
                arrows.append({"from": index[a.iri], "to": index[b.iri], "stage": b})
    columns = [{"x": PAD_X + slot * COLUMN + BOX_W / 2, "role": ROLES[col] if col < len(ROLES) else ""}
               for slot, col in enumerate(used)]
    width = PAD_X * 2 + (len(used) - 1) * COLUMN + BOX_W if used else 0
    return Drawing(pipeline, int(width), int(max(heights, default=HEAD) + 4), boxes, arrows, columns)


__all__ = ["Box", "Drawing", "drawing", "find_pipeline", "pipeline_names"]
