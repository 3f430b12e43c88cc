"""pyvis for people who customise it: the project's graph as a ``pyvis.network.Network``.

:func:`to_pyvis` gives a Network with the project's colours, shapes, labels and evidence
tooltips; change it as pyvis allows (colours, sizes, physics options, extra nodes). pyvis's own
``write_html``/``show`` link Bootstrap and vis-network from CDNs, so :func:`write_html` writes the
Network through the project's page instead: vis-network inlined, nothing fetched, the evidence
panel and filters of ``recruitgraph viz``, with whatever was changed in pyvis.

>>> import recruitgraph
>>> from recruitgraph import viz
>>> from recruitgraph.visualization import view_graph
>>> kg = recruitgraph.open(memory=True)                                  # doctest: +SKIP
>>> net = viz.to_pyvis(view_graph(kg, pipeline="rgd:pipeline-prison-recruitment"))  # doctest: +SKIP
>>> viz.write_html(net, "prisons.html")                                  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from .exc import InputError
from .visualization import render_html, vis_data

_OPTIONS = ("label", "color", "shape", "title", "value", "level", "size")


def _tooltip(ev: list[dict[str, Any]]) -> str:
    lines = []
    for e in ev:
        parts = [e.get("status") or "no status", "claimant: " + (e.get("claimant") or "the source itself")]
        if e.get("date"):
            parts.append("date: " + str(e["date"]))
        if e.get("start") is not None:
            parts.append(f"characters {e['start']}\u2013{e['end']}")
        line = " · ".join(parts)
        if e.get("text"):
            line += "\n\u201c" + str(e["text"]) + "\u201d"
        lines.append(line)
    return "\n".join(lines) or "no evidence recorded"


def to_pyvis(G: nx.MultiDiGraph, *, height: str = "750px", width: str = "100%", base_url: str | None = None) -> Any:
    """A ``pyvis.network.Network`` of ``G`` (a projection from ``kg.viz()`` or
    ``visualization.view_graph``): the project's colours and shapes per class, labels, and the
    evidence of every node and edge as its tooltip (``title``, plain text)."""
    from pyvis.network import Network

    data = vis_data(G, base_url=base_url)
    net = Network(height=height, width=width, directed=True, cdn_resources="remote")
    for n in data["nodes"]:
        net.add_node(n["id"], label=n["label"], color=n["color"], shape=n["shape"],
                     title=f"{n['label']} ({n['cls']})\n" + _tooltip(n["ev"]), rg=n,
                     **({"level": n["level"]} if "level" in n else {}))
    for e in data["edges"]:
        net.add_edge(e["from"], e["to"], label=e["label"], title=_tooltip(e["ev"]), dashes=e["kind"] == "relation",
                     rg=e)
    net.rg_legend = {k: v for k, v in data.items() if k not in ("nodes", "edges")}
    return net


def to_graph(net: Any) -> nx.MultiDiGraph:
    """Back from a (possibly customised) pyvis Network to a graph the project's page can draw."""
    G = nx.MultiDiGraph()
    for node in net.nodes:
        rg = dict(node.get("rg") or {})
        attrs = {"iri": rg.get("iri", str(node["id"])), "label": node.get("label", rg.get("label", "")),
                 "class": rg.get("cls", "Thing"), "country": rg.get("country", ""), "channel": rg.get("channel", []),
                 "roles": rg.get("roles", []), "pipelines": [], "evidence": [],
                 "rg_ev": rg.get("ev", []), "rg_style": {k: node[k] for k in ("color", "shape") if k in node}}
        G.add_node(node["id"], **attrs)
    for i, edge in enumerate(net.edges):
        rg = dict(edge.get("rg") or {})
        G.add_edge(edge["from"], edge["to"], key=i, label=edge.get("label", rg.get("label", "")),
                   predicate=rg.get("pred", ""), kind=rg.get("kind", ""), evidence=[], rg_ev=rg.get("ev", []))
    return G


def write_html(net: Any, path: str | Path, *, title: str = "Recruitment pipelines") -> Path:
    """Write a pyvis Network as the project's offline page (no CDN, nothing fetched)."""
    G = to_graph(net)
    G.graph["pipeline_view"] = bool(getattr(net, "rg_legend", {}).get("hierarchical"))
    page = render_html(G, title=title)
    path = Path(path)
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    return path


__all__ = ["to_graph", "to_pyvis", "write_html"]
