"""Static figures for papers: the pipelines as a layered diagram drawn with matplotlib.

Columns are the stage roles (origin, intermediary, channel, institution, front); each actor sits
in the column of the role it plays most often, boxes carry wrapped labels, and every pipeline is
one colour of arrows. The figure grows with the tallest column so labels never overlap.
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx

from .exc import InputError, NoResult, ParameterError
from .pipelines import ROLES
from .visualization import style_of

_SLOT = 0.9  # inches per box in a column
_COL = 2.3  # inches per column


def _column(roles: list[str]) -> int:
    counts = Counter(r for r in roles if r in ROLES)
    if not counts:
        return -1
    best = max(counts.values())
    return min(ROLES.index(r) for r, k in counts.items() if k == best)


def layered_positions(G: nx.MultiDiGraph) -> dict[str, tuple[int, float]]:
    """(column, row) of every pipeline actor; rows ordered by barycentre to limit crossings."""
    cols: dict[int, list[str]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        c = _column(list(d.get("roles", [])))
        if c >= 0:
            cols[c].append(n)
    for c in cols:
        cols[c].sort(key=lambda n: str(G.nodes[n].get("label", "")).casefold())
    row = {n: float(i) for c in cols for i, n in enumerate(cols[c])}
    stage_edges = [(u, v) for u, v, d in G.edges(data=True) if d.get("kind") == "stage" and u in row and v in row]
    for sweep in range(6):  # alternate left-to-right and right-to-left barycentre passes
        order = sorted(cols) if sweep % 2 == 0 else sorted(cols, reverse=True)
        for c in order:
            def bary(n: str) -> float:
                near = [row[v] for u, v in stage_edges if u == n] + [row[u] for u, v in stage_edges if v == n]
                return sum(near) / len(near) if near else row[n]

            cols[c].sort(key=lambda n: (bary(n), str(G.nodes[n].get("label", ""))))
            for i, n in enumerate(cols[c]):
                row[n] = float(i)
    tallest = max((len(v) for v in cols.values()), default=0)
    pos: dict[str, tuple[int, float]] = {}
    for c, members in cols.items():
        offset = (tallest - len(members)) / 2  # centre short columns
        for i, n in enumerate(members):
            pos[n] = (c, offset + i)
    return pos


def _bow(c1: int, r1: float, c2: int, r2: float, tallest: float) -> float:
    """Curvature for an arrow that skips columns: away from the middle of the stack."""
    if c2 - c1 <= 1:
        return 0.0
    return -0.3 if (r1 + r2) / 2 < (tallest - 1) / 2 else 0.3


def draw_layered(
    G: nx.MultiDiGraph, path: str | Path, *, format: str | None = None, title: str | None = None
) -> Path:
    """Write the layered diagram of the pipeline stages in ``G`` as SVG or PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in ("svg", "png", "pdf"):
        raise ParameterError(f"--format: {fmt!r} is not svg or png")
    pos = layered_positions(G)
    if not pos:
        raise NoResult("nothing to draw: no pipeline stages in this view")
    tallest = max(r for _, r in pos.values()) + 1
    used_cols = sorted({c for c, _ in pos.values()})
    width = _COL * len(ROLES) + 0.6
    height = _SLOT * tallest + 1.6
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(-0.6, len(ROLES) - 0.4)
    ax.set_ylim(tallest - 0.4, -1.2)
    ax.axis("off")
    for c, role in enumerate(ROLES):
        ax.text(c, -0.9, role.capitalize(), ha="center", va="center", fontsize=12, fontweight="bold",
                color="#222" if c in used_cols else "#aaa")
    pipes = sorted({d["pipeline"] for _, _, d in G.edges(data=True) if d.get("kind") == "stage"})
    cmap = plt.get_cmap("tab10" if len(pipes) <= 10 else "tab20")
    colour = {p: cmap(i % cmap.N) for i, p in enumerate(pipes)}
    plabel = {d["pipeline"]: d.get("pipeline_label", "") for _, _, d in G.edges(data=True) if d.get("kind") == "stage"}
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, d in G.edges(data=True):
        if d.get("kind") != "stage" or u not in pos or v not in pos:
            continue
        (c1, r1), (c2, r2) = pos[u], pos[v]
        k = seen[(u, v)]
        seen[(u, v)] += 1
        # arrows that skip a column bow out so they do not run through the boxes in between
        rad = 0.08 * k * (1 if k % 2 else -1) + (0.25 if c2 <= c1 else 0.0) + _bow(c1, r1, c2, r2, tallest)
        ax.add_patch(FancyArrowPatch(
            (c1 + 0.42, r1), (c2 - 0.42, r2), connectionstyle=f"arc3,rad={rad}",
            arrowstyle="-|>", mutation_scale=12, lw=1.4, color=colour[d["pipeline"]], alpha=0.85,
            shrinkA=2, shrinkB=2, zorder=1,
        ))
    for n, (c, r) in pos.items():
        d = G.nodes[n]
        label = "\n".join(textwrap.wrap(str(d.get("label", "")), 20)[:4])
        fill = style_of(str(d.get("class", "")))[0]
        ax.text(c, r, label, ha="center", va="center", fontsize=10, zorder=2, wrap=False,
                bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": fill, "lw": 1.6})
    handles = [plt.Line2D([0], [0], color=colour[p], lw=2.5) for p in pipes]
    labels = ["\n".join(textwrap.wrap(plabel[p] or p.rsplit("/", 1)[-1], 40)) for p in pipes]
    if handles:
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(3, len(pipes)),
                  fontsize=10, frameon=False, title="Pipelines", title_fontsize=11)
    if title:
        ax.set_title(title, fontsize=14)
    fig.tight_layout()
    try:
        fig.savefig(path, format=fmt, dpi=200 if fmt == "png" else None, bbox_inches="tight",
                    metadata={"Date": None} if fmt == "svg" else None)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    finally:
        plt.close(fig)
    return path


__all__ = ["draw_layered", "layered_positions"]
